"""Extension registries: one app asks, the others answer, and nobody imports anybody.

A registry is a named list of *providers*, functions that other apps add from their ``AppConfig.ready()``.
The app that owns the page calls :meth:`Registry.collect` and gets every provider's answers in one list; it never
imports the providing apps, and a provider never edits the asking app's template.

The home page's to-do list is the first registry (``home_items``): each app turns what one participant has to do
or can do now in that app into :class:`HomeItem` rows, and the home shows them all ordered by urgency::

    # preparation/apps.py
    def ready(self):
        from common.registry import home_items
        from .home import home_items_for
        home_items.register(home_items_for)

    # preparation/home.py
    def home_items_for(viewer) -> list[HomeItem]: ...

A provider gets the request's *viewer* (participants.viewer.Viewer): ``viewer.participation``, ``viewer.now``, and
``viewer.shared(name, compute)``, which computes a value once for every provider of the page (the group's
occurrences: ``sessions_app.selectors.viewer_occurrences(viewer)``), so that providers do not each read again what
another has read. A provider must read a bounded number of queries whatever the data size (the home's query count
is tested at two sizes), and must only return the viewer's own items. (A provider written as
``def home_items_for(participation, now)`` is still called that way.)
"""

from __future__ import annotations

import enum
import functools
import inspect
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.utils.translation import gettext_lazy as _


class Registry:
    """A named, ordered set of providers; registering the same function twice keeps one."""

    def __init__(self, name: str):
        self.name = name
        self._providers: dict[str, Callable] = {}
        self._orders: dict[str, int] = {}

    def __repr__(self):
        return f"<Registry {self.name}: {len(self._providers)} providers>"

    def register(self, provider: Callable, *, key: str | None = None, order: int = 100) -> Callable:
        """Add ``provider``; providers are asked in ``order`` (then registration order)."""
        key = key or f"{provider.__module__}.{provider.__qualname__}"
        self._providers[key] = provider  # registering again keeps the first position
        self._orders[key] = order
        return provider

    def unregister(self, key_or_provider) -> None:
        if callable(key_or_provider):
            key_or_provider = f"{key_or_provider.__module__}.{key_or_provider.__qualname__}"
        self._providers.pop(key_or_provider, None)
        self._orders.pop(key_or_provider, None)

    def get(self, key: str) -> Callable | None:
        """The provider registered under ``key`` (registries whose providers are looked up by name)."""
        return self._providers.get(key)

    @property
    def providers(self) -> list[Callable]:
        keys = sorted(self._providers, key=lambda key: self._orders.get(key, 100))  # stable: ties keep their order
        return [self._providers[key] for key in keys]

    def collect(self, *args, **kwargs) -> list:
        """Every provider's answer (a list), concatenated in ``order``."""
        found: list = []
        for provider in self.providers:
            found.extend(provider(*args, **kwargs) or [])
        return found


class Urgency(enum.IntEnum):
    """How soon a home item wants attention; lower comes first."""

    OVERDUE = 0  # past its due moment and still open
    NOW = 1  # open right now (a live session's poll) or due within a day
    SOON = 2  # due within a week
    LATER = 3  # due later, or no due moment
    DONE = 4  # nothing left to do; shown for the record

    @property
    def label(self) -> str:
        return str(URGENCY_LABELS[self])

    @property
    def style(self) -> str:
        return URGENCY_STYLES[self]


URGENCY_LABELS = {
    Urgency.OVERDUE: _("Overdue"),
    Urgency.NOW: _("Now"),
    Urgency.SOON: _("This week"),
    Urgency.LATER: _("Later"),
    Urgency.DONE: _("Done"),
}
# Bootstrap badge classes with AA contrast (dark text on the light backgrounds).
URGENCY_STYLES = {
    Urgency.OVERDUE: "text-bg-danger",
    Urgency.NOW: "text-bg-warning",
    Urgency.SOON: "text-bg-info",
    Urgency.LATER: "text-bg-light border",
    Urgency.DONE: "text-bg-success",
}

SOON_WINDOW = timedelta(days=7)
NOW_WINDOW = timedelta(days=1)


def urgency_for(due_at: datetime | None, now: datetime, *, done: bool = False) -> Urgency:
    """The urgency of an item due at ``due_at`` (None: no due moment), seen at ``now``."""
    if done:
        return Urgency.DONE
    if due_at is None:
        return Urgency.LATER
    if due_at < now:
        return Urgency.OVERDUE
    if due_at - now <= NOW_WINDOW:
        return Urgency.NOW
    if due_at - now <= SOON_WINDOW:
        return Urgency.SOON
    return Urgency.LATER


@dataclass
class HomeItem:
    """One thing a person has to do or can do now, and where it is done."""

    kind: str  # the providing app's name for it: "preparation", "dtca", "evaluation", "poll", ...
    title: str
    url: str
    status: str  # the providing app's own status word, e.g. "todo", "draft", "open"
    status_label: str  # that status for people, translated
    urgency: Urgency
    due_at: datetime | None = None  # shown with the viewer's zone and the reference zone beside it
    due_label: str = ""  # what the moment is: "Due", "Closes", "Opens", "Ends" (translated); default "Due"
    detail: str = ""  # one line under the title
    action_label: str = ""  # the link's verb, e.g. "Vote", "Answer" (translated); default "Open"
    kind_label: str = ""  # the kind for people, e.g. "Preparation" (translated)
    extra: dict = field(default_factory=dict)

    @property
    def sort_key(self):
        # Items without a due moment sort after dated ones of the same urgency.
        return (int(self.urgency), self.due_at is None, self.due_at.timestamp() if self.due_at else 0, self.title)


home_items = Registry("home items")


@functools.cache
def _takes_participation_and_now(provider) -> bool:
    """A provider written before the viewer existed: ``provider(participation, now)``."""
    return len(inspect.signature(provider).parameters) == 2


def collect_home_items(viewer) -> list[HomeItem]:
    """Everything every app offers the viewer (a participant) on the home, most urgent first."""
    items: list[HomeItem] = []
    for provider in home_items.providers:
        if _takes_participation_and_now(provider):
            found = provider(viewer.participation, viewer.now)
        else:
            found = provider(viewer)
        items.extend(found or [])
    return sorted(items, key=lambda item: item.sort_key)


# --- Pages other apps add to -------------------------------------------------------------------------------------
#
# Every registry below works the same way: an app registers a provider in its ``AppConfig.ready()``; the page that
# owns the registry renders whatever the providers answer, through ``common/templatetags/registries.py``, and never
# names the providing app, its tag library or its URL names.


@dataclass
class Card:
    """A block another app adds to a page: its own template, rendered with its own context.

    The template is rendered like an inclusion tag's: with ``context`` alone (and the page's CSRF token); a provider
    puts there whatever its template needs from the page.
    """

    template: str | object  # a template name, or a compiled ``django.template.Template``
    context: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Link:
    """A link another app adds to a page (a facilitator's tool, a download)."""

    label: str  # translated
    url: str
    style: str = "btn-outline-primary"  # Bootstrap button class where the page shows buttons
    title: str = ""  # translated; a longer explanation for the title attribute
    key: str = ""  # a stable name for the link (HTML id, tests), e.g. "progress-board"
    staff_only: bool = False  # shown to staff only (the page still checks access on the server)


#: The participant's (or a facilitator's) page of one session: ``provider(context, occurrence) -> list[Card]``.
#: ``context`` is the page's template context (``request``, ``participation``, ``workshop``, ``tasks``).
session_cards = Registry("session page cards")

#: Blocks under the to-do list on the participant home: ``provider(context) -> list[Card]``.
home_cards = Registry("home cards")

#: Facilitate page, one workshop: ``provider(workshop, memo) -> list[Link]``. ``memo`` is a dict shared by every
#: call during one page, so that a provider reads a bounded number of queries however many groups there are.
workshop_links = Registry("facilitator links of a workshop")

#: Facilitate page, one group: ``provider(cohort, workshop, memo) -> list[Link]``.
group_links = Registry("facilitator links of a group")

#: Facilitate page and the facilitator's schedule, one session: ``provider(occurrence, memo) -> list[Link]``.
session_links = Registry("facilitator links of a session")

#: The tabs over a facilitator's pages of one session (run-sheet, attendance, polls, ...):
#: ``provider(occurrence, memo) -> list[Link]``; the first tab is the session's home in the breadcrumb.
occurrence_tabs = Registry("tabs of a session's facilitator pages")

#: Downloads of one workshop or group: ``provider(workshop, cohort_or_none, memo) -> list[Link]``.
exports = Registry("exports")


class Role(enum.StrEnum):
    """Who sees a navigation entry; decided from the page's context, never by importing the deciding app."""

    PARTICIPANT = "participant"  # enrolled in a group (``participation`` in the context)
    FACILITATOR = "facilitator"  # runs at least one workshop (``is_facilitator`` in the context)
    STAFF = "staff"  # may open the admin
    SIGNED_IN = "signed_in"


@dataclass(frozen=True)
class NavEntry:
    """One entry of the main navigation.

    ``url`` is a URL name (reversed without arguments) or a callable ``url(context) -> str``.
    """

    label: str  # translated
    url: str | Callable
    role: Role | Callable = Role.PARTICIPANT  # or a predicate ``visible(context) -> bool``
    title: str = ""  # translated
    order: int = 100
    key: str = ""


#: The main navigation: ``provider() -> list[NavEntry]`` (the entries are static; their role decides who sees them).
nav_entries = Registry("navigation entries")

#: Demo data: ``provider(workshop, **options)``; loaders run in ``order`` (the programme first, then its features).
demo_loaders = Registry("demo loaders")

REGISTRIES = {
    "session_cards": session_cards,
    "home_cards": home_cards,
    "workshop_links": workshop_links,
    "group_links": group_links,
    "session_links": session_links,
    "exports": exports,
    "occurrence_tabs": occurrence_tabs,
    "nav_entries": nav_entries,
    "demo_loaders": demo_loaders,
    "home_items": home_items,
}

#: Kinds of reminder: ``provider() -> list[reminders.kinds.Kind]``; each kind lives in the app it reminds about.
reminder_kinds = Registry("reminder kinds")
REGISTRIES["reminder_kinds"] = reminder_kinds


def lazy_provider(path: str) -> Callable:
    """A provider that imports ``"package.module.function"`` when first called (demo code is heavy to import)."""
    module_name, _, function_name = path.rpartition(".")

    def provider(*args, **kwargs):
        from importlib import import_module

        return getattr(import_module(module_name), function_name)(*args, **kwargs)

    provider.__module__, provider.__qualname__ = module_name, function_name
    return provider


#: Files made in the worker (long zips): ``common.background.BackgroundJob`` registered under its ``key``.
background_jobs = Registry("background jobs")
REGISTRIES["background_jobs"] = background_jobs
