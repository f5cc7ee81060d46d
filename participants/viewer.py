"""Who is asking: the signed-in person's participation and zone, looked up only when a page uses them.

Every request that passes :class:`participants.middleware.UserTimezoneMiddleware` has ``request.participation``
and ``request.timezone_name``, as before; they are now computed on first use (a ``cached_property`` on the
request) instead of for every request. A view that never reads them (a download, an autosave, a health check)
costs no participation query at all. ``request.viewer`` (:class:`common.access.Viewer`, the access rules' viewer)
is built the same way and reads ``request.participation``, so both share the per-session memory.

What was found is remembered for the session, in the process's memory: the participation with its group,
workshop and country (which also gives the zone). It is keyed by the session and the person's ``viewer_version``
(read with the user row that every signed-in request reads anyway), which every write that changes what they would
show raises (:func:`forget_viewers`, called from the signals below): a new or changed enrolment, a
group, workshop or country edited, a facilitator added or removed (the navigation's Facilitate link is remembered
the same way). The next request of every session of that person then looks them up again.
A person's own zone (``User.timezone``) is read from the user row on each request and needs no invalidation.
"""

from __future__ import annotations

import contextlib
import contextvars

from django.core.cache.backends.locmem import LocMemCache
from django.db.models import F
from django.utils.functional import cached_property

from common.access import Viewer

from .selectors import current_participation

__all__ = ["Viewer", "ViewerRequest", "forget_viewers", "lazy_request_class", "replaying_stored_rows"]

# Per session, in this process's memory: the session's participation (a pickled copy, so each request gets its
# own) or None, at most MAX_ENTRIES (the least recently used go first). The key holds the person's viewer_version,
# read from the user row on every request, so a change seen by any process is seen by all; a process without a
# copy looks it up once. Nothing is written to the session itself.
_remembered = LocMemCache("portal-viewer", {"TIMEOUT": 3600, "OPTIONS": {"MAX_ENTRIES": 5000}})
_NOBODY = "-"  # remembered "not enrolled" (None means "not remembered")


def _memory_key(request) -> str | None:
    session = getattr(request, "session", None)
    session_key = getattr(session, "session_key", None)
    if not session_key:
        return None
    user = request.user
    return f"{session_key}:{user.pk}:{user.viewer_version}"


class ViewerRequest:
    """Mixed into the request's class by the middleware: the viewer's facts, computed once, on first use."""

    @cached_property
    def participation(self):
        return participation_for(self)

    @cached_property
    def timezone_name(self) -> str:
        return timezone_name_for_request(self)

    @cached_property
    def viewer(self) -> Viewer:
        """The one viewer of the request (common.access.Viewer): its participation is ``self.participation``."""
        return Viewer(self.user, self)

    @cached_property
    def is_facilitator(self) -> bool:
        return is_facilitator_for(self)


_request_classes: dict[type, type] = {}


def lazy_request_class(cls: type) -> type:
    """``cls`` with :class:`ViewerRequest` mixed in (made once per request class)."""
    if issubclass(cls, ViewerRequest):
        return cls
    if cls not in _request_classes:
        _request_classes[cls] = type(cls.__name__, (ViewerRequest, cls), {"__module__": cls.__module__})
    return _request_classes[cls]


def _remember(request, participation) -> None:
    key = _memory_key(request)
    if key is None:
        return
    if participation is None:
        _remembered.set(key, _NOBODY)
        return
    if not request.user.is_staff:
        _remembered.set(f"{key}:facilitator", participation.user_facilitates)
    # The copy leaves the user out: the request has the current one.
    fields_cache = participation._state.fields_cache
    user_cached = fields_cache.pop("user", None)
    try:
        _remembered.set(key, participation)
    finally:
        if user_cached is not None:
            fields_cache["user"] = user_cached


def participation_for(request):
    """The participation the signed-in person acts in (see ``selectors.current_participation``), or None."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    key = _memory_key(request)
    remembered = _remembered.get(key) if key is not None else None
    if remembered == _NOBODY:
        return None
    if remembered is not None:
        remembered.user = user
        return remembered
    participation = current_participation(user, with_facilitates=True)
    _remember(request, participation)
    return participation


def is_facilitator_for(request) -> bool:
    """Whether the person facilitates a workshop (the navigation's Facilitate link), remembered per session."""
    from .access import is_facilitator

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    key = _memory_key(request)
    if key is None or user.is_staff:  # an organizer's answer follows every workshop made: not remembered
        return is_facilitator(user)
    remembered = _remembered.get(f"{key}:facilitator")
    if remembered is None and request.participation is not None:  # its lookup also says (when not remembered)
        remembered = _remembered.get(f"{key}:facilitator")
    if remembered is None:
        remembered = is_facilitator(user)
        _remembered.set(f"{key}:facilitator", remembered)
    return remembered


def timezone_name_for_request(request) -> str:
    """The person's own zone, else their participation's country's, else UTC."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return "UTC"
    if user.timezone:
        return user.timezone
    participation = request.participation
    return participation.country.timezone if participation is not None else "UTC"


def forget_viewers(users) -> int:
    """Every session of these people (a queryset of users or their ids) looks up participation and zone again."""
    from .models import User

    ids = users.values("pk") if hasattr(users, "values") else list(users)
    return User.objects.filter(pk__in=ids).update(viewer_version=F("viewer_version") + 1)


# ------------------------------------------------------------------------------------------------ signals

# While a backup is restored the rows come back exactly as they were, their viewer_version included: the signals
# below must not raise that number (nobody holds a session of the restored database yet).
_replaying = contextvars.ContextVar("viewer_signals_replaying", default=False)


@contextlib.contextmanager
def replaying_stored_rows():
    token = _replaying.set(True)
    try:
        yield
    finally:
        _replaying.reset(token)


def _skip(kwargs) -> bool:
    return kwargs.get("raw", False) or _replaying.get()


def participant_changed(sender, instance, **kwargs):
    if _skip(kwargs):
        return
    forget_viewers([instance.user_id])


def country_changed(sender, instance, created=False, **kwargs):
    if not created and not _skip(kwargs):
        from .models import User

        forget_viewers(User.objects.filter(participations__country=instance))


def cohort_changed(sender, instance, created=False, **kwargs):
    if not created and not _skip(kwargs):
        from .models import User

        forget_viewers(User.objects.filter(participations__cohort=instance))


def workshop_changed(sender, instance, created=False, **kwargs):
    if not created and not _skip(kwargs):
        from .models import User

        forget_viewers(User.objects.filter(participations__cohort__workshop=instance))


def facilitators_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if _skip(kwargs):
        return
    if action == "pre_clear" and not reverse:
        instance._viewer_cleared = list(instance.facilitators.values_list("pk", flat=True))
    elif action in ("post_add", "post_remove"):
        forget_viewers([instance.pk] if reverse else list(pk_set or ()))
    elif action == "post_clear":
        forget_viewers([instance.pk] if reverse else getattr(instance, "_viewer_cleared", []))


def connect():
    from django.db.models.signals import m2m_changed, post_delete, post_save

    from sessions_app.models import Cohort, Workshop

    from .models import Country, Participant

    for signal in (post_save, post_delete):
        name = signal is post_save and "save" or "delete"
        signal.connect(participant_changed, sender=Participant, dispatch_uid=f"viewer_participant_{name}")
        signal.connect(country_changed, sender=Country, dispatch_uid=f"viewer_country_{name}")
        signal.connect(cohort_changed, sender=Cohort, dispatch_uid=f"viewer_cohort_{name}")
        signal.connect(workshop_changed, sender=Workshop, dispatch_uid=f"viewer_workshop_{name}")
    m2m_changed.connect(facilitators_changed, sender=Workshop.facilitators.through, dispatch_uid="viewer_facilitators")
