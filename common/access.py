"""Access primitives every app shares: the viewer of a request and the one "must be enrolled" decorator.

Each app keeps its own rules in its ``access.py`` (who may see, take part in or edit which of its objects). This
module only says *who is asking*: a :class:`Viewer` built once per request, lazily, and asked by those rules.

- ``request.viewer`` (a per-request property added by ``participants.middleware``, see ``participants/viewer.py``,
  which remembers the participation per session) is one :class:`Viewer`. It carries ``participation``, ``now`` and
  ``shared(name, compute)`` for the pages' providers, and answers ``is_organizer``, ``facilitates(workshop)``,
  ``is_participant_of(cohort)``, ``can_take_part(occurrence or cohort)``, ``can_see(occurrence)`` and
  ``can_edit(obj)``; the last asks the ``can_edit(viewer, obj)`` rule in ``access.py`` of the app that owns ``obj``.
- ``@enrolled_required`` guards a participant's page: anonymous people sign in, facilitators and organizers who are
  not enrolled go to Facilitate, everyone else gets the one "not enrolled" page (404, no hint of anything else).

Refusals are 404s, never 403s: a person learns nothing about objects that are not theirs.
"""

from __future__ import annotations

import importlib
from functools import cached_property, wraps
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

if TYPE_CHECKING:
    from collections.abc import Callable


# Set by the participants app when it is ready (common imports no app): the person's current participation, for a
# viewer built without a request (tasks, commands, tests).
participation_lookup: Callable[[Any], Any] | None = None


def _id_of(value: Any) -> int | None:
    """The primary key of a model instance, or the value itself when it is already one."""
    if value is None:
        return None
    return getattr(value, "pk", value)


# The role groups' names, which the programme (a workshop's possible facilitators) and the people
# (participants/roles.py, which gives each group its permissions) both use.
ORGANIZER = "organizer"
FACILITATOR = "facilitator"
SPEAKER = "speaker"
PARTICIPANT = "participant"


def as_id(value) -> int | None:
    """A primary key from a URL, form or query string; None for anything that is not one."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class Viewer:
    """The person behind one request and how they stand towards the portal's objects.

    Every answer is computed at most once per request: the facilitated workshops are one query, asked only when a
    rule needs them; the participation is the request's (``request.participation``, remembered per session by
    ``participants/viewer.py``). ``now`` and :meth:`shared` serve everything that builds the page (the home's
    providers, feature cards): a shared value is computed once per request and depends only on the viewer and
    ``now``.
    """

    def __init__(
        self, user: Any, request: HttpRequest | None = None, *, participation: Any = None, now: Any = None
    ) -> None:
        self.user = user
        self._request = request
        if participation is not None:
            self.__dict__["participation"] = participation  # given: the cached_property is not computed
            if user is None:
                self.user = participation.user
        self._now = now
        self._shared: dict[str, Any] = {}

    def __repr__(self) -> str:
        return f"<Viewer {getattr(self.user, 'pk', None)!r}>"

    @cached_property
    def now(self) -> Any:
        from django.utils import timezone

        return self._now or timezone.now()

    def shared(self, name: str, compute: Callable[[], Any]) -> Any:
        """``compute()`` once per viewer (that is, per request) under ``name``."""
        if name not in self._shared:
            self._shared[name] = compute()
        return self._shared[name]

    @property
    def is_authenticated(self) -> bool:
        return bool(getattr(self.user, "is_authenticated", False))

    @cached_property
    def participation(self) -> Any:
        """The signed-in person's current participation (active, in a group), or None."""
        if self._request is not None:
            return getattr(self._request, "participation", None)
        if not self.is_authenticated or participation_lookup is None:
            return None
        return participation_lookup(self.user)

    @property
    def is_enrolled(self) -> bool:
        return self.participation is not None

    @cached_property
    def is_organizer(self) -> bool:
        return self.is_authenticated and bool(self.user.is_staff)

    @cached_property
    def facilitated_workshop_ids(self) -> frozenset[int]:
        """The workshops this person facilitates (not counting organizers' reach over all of them)."""
        if not self.is_authenticated:
            return frozenset()
        workshop_model = apps.get_model("sessions_app", "Workshop")
        return frozenset(workshop_model.objects.filter(facilitators=self.user).values_list("pk", flat=True))

    @property
    def runs_workshops(self) -> bool:
        """Organizers and facilitators of at least one workshop: they have Facilitate as their start page."""
        return self.is_organizer or bool(self.facilitated_workshop_ids)

    def facilitates(self, workshop: Any) -> bool:
        """Organizers, and the workshop's own facilitators, run its sessions and see its participants' work."""
        if not self.is_authenticated or workshop is None:
            return False
        return self.is_organizer or _id_of(workshop) in self.facilitated_workshop_ids

    def is_participant_of(self, cohort: Any) -> bool:
        """An active participant of this group (their current participation is in it)."""
        participation = self.participation
        return participation is not None and participation.cohort_id == _id_of(cohort)

    def can_take_part(self, obj: Any) -> bool:
        """Take part (answer, vote, submit) in a group's session or group: its own participants only."""
        cohort_id = getattr(obj, "cohort_id", None)
        return self.is_participant_of(cohort_id if cohort_id is not None else obj)

    def can_see(self, occurrence: Any) -> bool:
        """See a group's session: its participants and the workshop's facilitators (organizers included)."""
        if self.is_participant_of(occurrence.cohort_id):
            return True
        return self.facilitates(occurrence.session.workshop_id)

    def can_edit(self, obj: Any) -> bool:
        """Change this object: the rule ``can_edit(viewer, obj)`` in ``access.py`` of the app that owns it."""
        rule = _app_rule(obj._meta.app_label, "can_edit")
        return bool(rule is not None and rule(self, obj))


def _app_rule(app_label: str, name: str) -> Callable[..., bool] | None:
    """The function ``name`` in ``<app>/access.py``, or None when the app has no such rule."""
    module_name = f"{apps.get_app_config(app_label).name}.access"
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name != module_name:
            raise
        return None
    return getattr(module, name, None)


def viewer_of(request: HttpRequest) -> Viewer:
    """The request's viewer (built by the middleware; built here for requests that did not pass through it)."""
    viewer = getattr(request, "viewer", None)
    if viewer is None:
        viewer = Viewer(getattr(request, "user", None), request)
        request.viewer = viewer  # type: ignore[attr-defined]
    return viewer


def viewer_for(who: Any) -> Viewer:
    """The viewer of a request, a viewer itself, or a new one for a bare user (tasks, commands, older callers)."""
    if isinstance(who, Viewer):
        return who
    if isinstance(who, HttpRequest):
        return viewer_of(who)
    return Viewer(who)


def not_enrolled(request: HttpRequest) -> HttpResponse:
    """The one answer to "this page is for participants" when the person is not enrolled in a group."""
    if viewer_of(request).runs_workshops:
        return redirect("sessions:facilitate")
    return render(request, "common/not_enrolled.html", status=404)


def enrolled_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The view is for enrolled participants: sign in first; not enrolled gets :func:`not_enrolled`."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if viewer_of(request).participation is None:
            return not_enrolled(request)
        return view(request, *args, **kwargs)

    return wrapper
