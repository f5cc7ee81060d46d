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
    def home_items_for(participation, now) -> list[HomeItem]: ...

A provider must read a bounded number of queries whatever the data size (the home's query count is tested at
two sizes), and must only return the viewer's own items.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.utils.translation import gettext_lazy as _


class Registry:
    """A named, ordered set of providers; registering the same function twice keeps one."""

    def __init__(self, name: str):
        self.name = name
        self._providers: dict[str, Callable] = {}

    def __repr__(self):
        return f"<Registry {self.name}: {len(self._providers)} providers>"

    def register(self, provider: Callable, *, key: str | None = None) -> Callable:
        key = key or f"{provider.__module__}.{provider.__qualname__}"
        self._providers[key] = provider
        return provider

    def unregister(self, key_or_provider) -> None:
        if callable(key_or_provider):
            key_or_provider = f"{key_or_provider.__module__}.{key_or_provider.__qualname__}"
        self._providers.pop(key_or_provider, None)

    @property
    def providers(self) -> list[Callable]:
        return list(self._providers.values())

    def collect(self, *args, **kwargs) -> list:
        """Every provider's answer (a list), concatenated in registration order."""
        found = []
        for provider in self._providers.values():
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


def collect_home_items(participation, now: datetime) -> list[HomeItem]:
    """Everything every app offers this participant on the home, most urgent first."""
    items = home_items.collect(participation, now)
    return sorted(items, key=lambda item: item.sort_key)
