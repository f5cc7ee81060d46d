"""What each kind of reminder is about, when it is due, and who no longer needs it.

A kind enumerates its *targets* for a rule (an occurrence, a task for one group,
an evaluation form), each with the moment the rule's offset counts from. The
dispatcher does the rest the same way for every kind.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db.models import Exists, Max, OuterRef, QuerySet
from django.urls import reverse
from django.utils import timezone

from sessions_app.calendar import occurrences_calendar
from sessions_app.models import PreparationTask, SessionOccurrence
from sessions_app.selectors import occurrences_by_number

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


def _workshop_occurrences(workshop) -> list[SessionOccurrence]:
    return list(
        SessionOccurrence.objects.filter(session__workshop=workshop)
        .select_related("session__workshop", "cohort")
        .order_by("starts_at")
    )


def _by_cohort(occurrences) -> dict[int, list[SessionOccurrence]]:
    grouped: dict[int, list[SessionOccurrence]] = {}
    for occurrence in occurrences:
        grouped.setdefault(occurrence.cohort_id, []).append(occurrence)
    return grouped


def _workshops_meeting(**occurrence_filter) -> QuerySet:
    """The ids of workshops with an occurrence matching the filter (a range on starts_at or ends_at, indexed)."""
    return SessionOccurrence.objects.filter(**occurrence_filter).values("session__workshop_id")


class Kind:
    subject_template = ""
    text_template = ""
    html_template = ""

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
        return absolute(reverse("home"))

    def attachments(self, target: Target) -> list[tuple[str, bytes, str]]:
        return []

    def context(self, target: Target, participant) -> dict:
        """What this kind's mail templates need beyond the common context (read when the mail is built)."""
        return {}


class SessionBefore(Kind):
    name = "session_before"

    def targets(self, rule):
        for occurrence in _workshop_occurrences(rule.workshop):
            yield Target(
                key=f"occurrence:{occurrence.pk}",
                cohort_id=occurrence.cohort_id,
                anchor=occurrence.starts_at,
                occurrence=occurrence,
            )

    def workshops_with_anchor_between(self, earliest, latest):
        return [_workshops_meeting(starts_at__range=(earliest, latest))]

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
        return absolute(reverse("session_detail", args=[target.occurrence.pk]))

    def attachments(self, target):
        occurrence = target.occurrence
        body = occurrences_calendar([occurrence], occurrence.session.workshop.title)
        return [(f"session-{occurrence.session.number}.ics", body, "text/calendar")]


class _TaskKind(Kind):
    assessment: bool

    def _tasks(self, rule):
        tasks = PreparationTask.objects.filter(session__workshop=rule.workshop).select_related("session", "due_session")
        if self.assessment:
            tasks = tasks.filter(kind=PreparationTask.Kind.ASSESSMENT)
        else:
            tasks = tasks.exclude(kind=PreparationTask.Kind.ASSESSMENT)
        if not rule.include_optional_tasks:
            tasks = tasks.filter(is_optional=False)
        return list(tasks)

    def workshops_with_anchor_between(self, earliest, latest):
        from preparation.models import Extension

        # A task is due some days before its due session starts; an extension gives some people a moment of its own.
        lead = PreparationTask.objects.aggregate(days=Max("due_days_before"))["days"] or 0
        return [
            _workshops_meeting(starts_at__range=(earliest, latest + timedelta(days=lead))),
            Extension.objects.filter(due_at__range=(earliest, latest)).values("task__session__workshop_id"),
        ]

    def targets(self, rule):
        grouped = _by_cohort(_workshop_occurrences(rule.workshop))
        for task in self._tasks(rule):
            for cohort_id, occurrences in grouped.items():
                yield from self._targets(task, cohort_id, occurrences)

    def _targets(self, task, cohort_id, occurrences):
        """The group's due moment, and one more per moment an extension gave to some of its members."""
        from preparation.selectors import extended_due_by_participant

        by_number = occurrences_by_number(occurrences)
        due = task.due_at(by_number)
        if due is None:
            return
        occurrence = by_number.get(task.session.number)
        extended = extended_due_by_participant(task, cohort_id)
        yield Target(
            key=f"task:{task.pk}:cohort:{cohort_id}",
            cohort_id=cohort_id,
            anchor=due,
            task=task,
            occurrence=occurrence,
            exclude=set(extended),
        )
        by_moment: dict = {}
        for participant_id, moment in extended.items():
            by_moment.setdefault(moment, set()).add(participant_id)
        for moment, participant_ids in by_moment.items():
            yield Target(
                key=f"task:{task.pk}:cohort:{cohort_id}:until:{int(moment.timestamp())}",
                cohort_id=cohort_id,
                anchor=moment,
                task=task,
                occurrence=occurrence,
                only=participant_ids,
            )

    def target_for_key(self, rule, key):
        parts = key.split(":")
        task = next((t for t in self._tasks(rule) if t.pk == int(parts[1])), None)
        if task is None:
            return None
        occurrences = list(
            SessionOccurrence.objects.filter(cohort_id=int(parts[3]), session__workshop=rule.workshop)
            .select_related("session__workshop", "cohort")
            .order_by("starts_at")
        )
        return next((t for t in self._targets(task, int(parts[3]), occurrences) if t.key == key), None)


class TaskDue(_TaskKind):
    name = "task_due"
    assessment = False

    def completed_ids(self, target, participant_ids):
        from preparation.selectors import participant_ids_done

        return participant_ids_done(target.task, participant_ids)

    def action_url(self, target, participant):
        return absolute(reverse("preparation_task", args=[target.task.pk]))


class DtcaDue(_TaskKind):
    name = "dtca_due"
    assessment = True

    def completed_ids(self, target, participant_ids):
        from assessments.selectors import participant_ids_submitted

        return participant_ids_submitted(target.task.session.workshop, participant_ids)

    def action_url(self, target, participant):
        return absolute(reverse("dtca_home"))


class EvaluationInvite(Kind):
    name = "evaluation_invite"

    def targets(self, rule):
        from evaluations.models import EvaluationForm
        from evaluations.models import Kind as FormKind
        from evaluations.services import ensure_forms

        # Forms follow the programme (a moved session moves its form); make sure they exist and are on schedule.
        ensure_forms(rule.workshop)
        forms = list(EvaluationForm.objects.filter(cohort__workshop=rule.workshop).select_related("cohort__workshop"))
        session_forms = {form.occurrence_id: form for form in forms if form.kind == FormKind.SESSION}
        course_forms = {form.cohort_id: form for form in forms if form.kind == FormKind.COURSE}
        for cohort_id, occurrences in _by_cohort(_workshop_occurrences(rule.workshop)).items():
            for occurrence in occurrences:
                form = session_forms.get(occurrence.pk)
                if form is not None:
                    yield self._target(form, occurrence)
            course = course_forms.get(cohort_id)
            if course is not None:
                yield self._target(course, occurrences[-1], course=True)

    def workshops_with_anchor_between(self, earliest, latest):
        # Session forms are anchored at their session's end, the course form at the group's last session's end.
        return [_workshops_meeting(ends_at__range=(earliest, latest))]

    @staticmethod
    def _target(form, occurrence, course=False) -> Target:
        return Target(
            key=f"form:{form.pk}",
            cohort_id=occurrence.cohort_id,
            anchor=occurrence.ends_at,
            occurrence=occurrence,
            form=form,
            extra={"course": True} if course else {},
        )

    def completed_ids(self, target, participant_ids):
        from evaluations.selectors import participant_ids_responded

        # A closed form cannot be answered any more: nobody needs a reminder for it.
        if target.form.closes_at <= timezone.now():
            return set(participant_ids)
        return participant_ids_responded(target.form, participant_ids)

    def action_url(self, target, participant):
        return absolute(reverse("evaluation_form", args=[target.form.pk]))


class EvaluationFollowup(EvaluationInvite):
    name = "evaluation_followup"


class ActionPlanFollowup(Kind):
    """Months after a group's last session, the country teams whose plan has open actions update it."""

    name = "action_plan_followup"

    def workshops_with_anchor_between(self, earliest, latest):
        from action_plans.models import DEFAULT_FOLLOWUP_MONTHS, ActionPlanSettings, parse_months
        from action_plans.selectors import add_months

        months = set(DEFAULT_FOLLOWUP_MONTHS)
        for text in ActionPlanSettings.objects.values_list("followup_months", flat=True).distinct():
            try:
                months.update(parse_months(text))
            except ValueError:
                continue
        # A moment is a group's last session end plus n calendar months in the workshop's zone: a group's last
        # occurrence ended about n months before the window. Four days of margin cover month lengths and zones.
        margin = timedelta(days=4)
        later = SessionOccurrence.objects.filter(cohort_id=OuterRef("cohort_id"), ends_at__gt=OuterRef("ends_at"))
        return [
            _workshops_meeting(
                ends_at__range=(add_months(earliest, -n, UTC) - margin, add_months(latest, -n, UTC) + margin)
            ).exclude(Exists(later))
            for n in sorted(months)
        ]

    def targets(self, rule):
        from action_plans.selectors import followup_schedule

        for moment in followup_schedule(rule.workshop):
            yield Target(
                key=f"followup:cohort:{moment.cohort_id}:months:{moment.months}",
                cohort_id=moment.cohort_id,
                anchor=moment.at,
                extra={"months": moment.months, "course_ended_at": moment.course_ended_at},
            )

    def completed_ids(self, target, participant_ids):
        """Teams without open actions need no reminder, nor those who updated their plan since the moment."""
        from action_plans.selectors import participant_ids_followed_up

        return participant_ids_followed_up(target.cohort_id, target.anchor, participant_ids)

    def action_url(self, target, participant):
        return absolute(reverse("action_plans:plan", args=[participant.cohort_id, participant.country.code]))

    def context(self, target, participant):
        from action_plans.selectors import open_actions_of

        return {"months": target.extra.get("months"), "open_actions": open_actions_of(participant)}


KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        SessionBefore(),
        TaskDue(),
        DtcaDue(),
        EvaluationInvite(),
        EvaluationFollowup(),
        ActionPlanFollowup(),
    )
}

# Kinds that live with their own app; imported last, since they build on Kind above.
from nominations.reminders import NominationDue  # noqa: E402

KINDS[NominationDue.name] = NominationDue()
