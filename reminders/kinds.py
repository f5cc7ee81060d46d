"""What each kind of reminder is about, when it is due, and who no longer needs it.

A kind enumerates its *targets* for a rule (an occurrence, a task for one group,
an evaluation form), each with the moment the rule's offset counts from. The
dispatcher does the rest the same way for every kind.

Each kind lives in the app it reminds about and registers itself in that app's ``AppConfig.ready()``::

    # evaluations/apps.py
    from common.registry import reminder_kinds
    from .reminder_kinds import kinds
    reminder_kinds.register(kinds, key="evaluations")   # kinds() -> [EvaluationInvite(), EvaluationFollowup()]

This module holds what every kind shares and the one kind the programme itself needs (a session coming up);
it imports no feature app. A kind's ``name`` is what rules store in the database: never rename one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from common.registry import reminder_kinds
from sessions_app.calendar import occurrences_calendar, workshop_calendar_name
from sessions_app.models import PreparationTask, SessionOccurrence

from .models import ReminderRule


@dataclass
class Target:
    key: str
    cohort_id: int
    anchor: datetime
    occurrence: SessionOccurrence | None = None
    task: PreparationTask | None = None
    form: object | None = None
    extra: dict = field(default_factory=dict)
    only: set[int] | None = None  # just these participants of the group (an extension moved their moment)
    exclude: set[int] = field(default_factory=set)  # not these (they have a moment of their own)


def absolute(path: str) -> str:
    return settings.SITE_URL + path


def workshop_occurrences(workshop) -> list[SessionOccurrence]:
    return list(
        SessionOccurrence.objects.filter(session__workshop=workshop)
        .select_related("session__workshop", "cohort")
        .order_by("starts_at")
    )


def by_cohort(occurrences) -> dict[int, list[SessionOccurrence]]:
    grouped: dict[int, list[SessionOccurrence]] = {}
    for occurrence in occurrences:
        grouped.setdefault(occurrence.cohort_id, []).append(occurrence)
    return grouped


def workshops_meeting(**occurrence_filter) -> QuerySet:
    """The ids of workshops with an occurrence matching the filter (a range on starts_at or ends_at, indexed)."""
    return SessionOccurrence.objects.filter(**occurrence_filter).values("session__workshop_id")


class Kind:
    name = ""  # stored in ReminderRule.kind: stable
    label = ""  # for organizers choosing a rule's kind (translated)
    anchor_text = _("the anchor")  # what the rule's offset counts from, for the admin's timing text (translated)
    # An event ("the session starts") reads "when …" at offset 0, a moment ("the due moment") "at …".
    anchor_is_event = False
    after_only = ""  # when set: the rule's offset may not be negative, and this says why (translated)
    never_optional = ""  # when set: rules of this kind may not be optional, and this says why (translated)
    default_rules: tuple = ()  # (name, offset in minutes, optional) of the rules most workshops want

    @property
    def template_base(self) -> str:
        """Mail templates: ``<base>_subject.txt``, ``<base>.txt`` and ``<base>.html``, in the owning app's folder
        (``templates/<app>/email/reminder_<name>``); they may extend ``reminders/email/_base.html``."""
        app = type(self).__module__.split(".")[0]
        return f"{app}/email/reminder_{self.name}"

    def targets(self, rule: ReminderRule) -> Iterable[Target]:
        raise NotImplementedError

    def workshops_with_anchor_between(self, earliest: datetime, latest: datetime) -> list[QuerySet]:
        """Querysets of the ids of every workshop that may have a target anchored in [earliest, latest].

        Cheap (indexed ranges on the programme's moments, whatever the number of workshops stored) and never
        too narrow: a workshop left out has no target there. The dispatcher reads only these workshops' rules.
        """
        raise NotImplementedError

    def target_for_key(self, rule: ReminderRule, key: str) -> Target | None:
        return next((t for t in self.targets(rule) if t.key == key), None)

    def completed_ids(self, target: Target, participant_ids) -> set[int]:
        """Participants who have already done what the mail asks; they get nothing."""
        return set()

    def action_url(self, target: Target, participant) -> str:
        return absolute(reverse("sessions:home"))

    def attachments(self, target: Target) -> list[tuple[str, bytes, str]]:
        return []

    def context(self, target: Target, participant) -> dict:
        """What this kind's mail templates need beyond the common context (read when the mail is built)."""
        return {}


class SessionBefore(Kind):
    name = "session_before"
    label = _("Session coming up (date, time, join link, .ics)")
    anchor_text = _("the session starts")
    anchor_is_event = True
    never_optional = _("The join-link mail is not optional: participants need it.")
    default_rules = ((_("Session tomorrow: join link"), -1 * 1440, False),)

    def targets(self, rule):
        for occurrence in workshop_occurrences(rule.workshop):
            yield Target(
                key=f"occurrence:{occurrence.pk}",
                cohort_id=occurrence.cohort_id,
                anchor=occurrence.starts_at,
                occurrence=occurrence,
            )

    def workshops_with_anchor_between(self, earliest, latest):
        return [workshops_meeting(starts_at__range=(earliest, latest))]

    def target_for_key(self, rule, key):
        occurrence = (
            SessionOccurrence.objects.select_related("session__workshop", "cohort")
            .filter(pk=int(key.split(":")[1]), session__workshop=rule.workshop)
            .first()
        )
        if occurrence is None:
            return None
        return Target(key=key, cohort_id=occurrence.cohort_id, anchor=occurrence.starts_at, occurrence=occurrence)

    def action_url(self, target, participant):
        return absolute(reverse("sessions:detail", args=[target.occurrence.pk]))

    def context(self, target, participant):
        return {"tasks": list(target.occurrence.session.tasks.all())}

    def attachments(self, target):
        # Called while the mail is built in the recipient's language (build_rule_message): titles follow it.
        occurrence = target.occurrence
        body = occurrences_calendar([occurrence], workshop_calendar_name(occurrence.session.workshop))
        return [(f"session-{occurrence.session.number}.ics", body, "text/calendar")]


class _Kinds(Mapping):
    """Every registered kind by name (``KINDS["task_due"]``); read from the registry, so tests may add kinds."""

    def _all(self) -> dict[str, Kind]:
        return {kind.name: kind for kind in reminder_kinds.collect()}

    def __getitem__(self, name: str) -> Kind:
        return self._all()[name]

    def __iter__(self):
        return iter(self._all())

    def __len__(self):
        return len(self._all())


KINDS: Mapping[str, Kind] = _Kinds()


def kinds():
    """The programme's own kind (registered by reminders' AppConfig.ready)."""
    return [SESSION_BEFORE]


SESSION_BEFORE = SessionBefore()
