"""Reminders about preparation: a task's due moment (registered in PreparationConfig.ready)."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Max
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from reminders.kinds import Kind, Target, absolute, by_cohort, workshop_occurrences, workshops_meeting
from sessions_app.models import PreparationTask, SessionOccurrence
from sessions_app.selectors import occurrences_by_number

from . import selectors


class TaskKind(Kind):
    """A reminder about a preparation task's due moment, per group and per extended moment."""

    anchor_text = _("the due moment")

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
        from .models import Extension

        # A task is due some days before its due session starts; an extension gives some people a moment of its own.
        lead = PreparationTask.objects.aggregate(days=Max("due_days_before"))["days"] or 0
        return [
            workshops_meeting(starts_at__range=(earliest, latest + timedelta(days=lead))),
            Extension.objects.filter(due_at__range=(earliest, latest)).values("task__session__workshop_id"),
        ]

    def targets(self, rule):
        grouped = by_cohort(workshop_occurrences(rule.workshop))
        for task in self._tasks(rule):
            for cohort_id, occurrences in grouped.items():
                yield from self._targets(task, cohort_id, occurrences)

    def _targets(self, task, cohort_id, occurrences):
        """The group's due moment, and one more per moment an extension gave to some of its members."""
        by_number = occurrences_by_number(occurrences)
        due = task.due_at(by_number)
        if due is None:
            return
        occurrence = by_number.get(task.session.number)
        extended = selectors.extended_due_by_participant(task, cohort_id)
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


class TaskDue(TaskKind):
    name = "task_due"
    label = _("Preparation due (to those who have not done it)")
    assessment = False
    default_rules = (
        (_("Preparation due in 7 days"), -7 * 1440, True),
        (_("Preparation due in 2 days"), -2 * 1440, True),
    )

    def completed_ids(self, target, participant_ids):
        return selectors.participant_ids_done(target.task, participant_ids)

    def action_url(self, target, participant):
        return absolute(reverse("preparation:task", args=[target.task.pk]))


TASK_DUE = TaskDue()


def kinds():
    return [TASK_DUE]
