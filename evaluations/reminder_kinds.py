"""Reminders to answer an evaluation (registered in EvaluationsConfig.ready)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reminders.kinds import Kind, Target, absolute, by_cohort, workshop_occurrences, workshops_meeting

from . import selectors
from .models import EvaluationForm
from .models import Kind as FormKind
from .services import ensure_forms


class EvaluationInvite(Kind):
    name = "evaluation_invite"
    label = _("Evaluation invitation (after the session)")
    anchor_text = _("the session ends")
    anchor_is_event = True
    after_only = _("Evaluations are sent after the session ends (use 0 or more).")
    default_rules = ((_("Evaluation invitation"), 15, True),)

    def workshops_with_anchor_between(self, earliest, latest):
        # Session forms are anchored at their session's end, the course form at the group's last session's end.
        return [workshops_meeting(ends_at__range=(earliest, latest))]

    def targets(self, rule):
        # Forms follow the programme (a moved session moves its form); make sure they exist and are on schedule.
        ensure_forms(rule.workshop)
        forms = list(EvaluationForm.objects.filter(cohort__workshop=rule.workshop).select_related("cohort__workshop"))
        session_forms = {form.occurrence_id: form for form in forms if form.kind == FormKind.SESSION}
        course_forms = {form.cohort_id: form for form in forms if form.kind == FormKind.COURSE}
        for cohort_id, occurrences in by_cohort(workshop_occurrences(rule.workshop)).items():
            for occurrence in occurrences:
                form = session_forms.get(occurrence.pk)
                if form is not None:
                    yield self._target(form, occurrence)
            course = course_forms.get(cohort_id)
            if course is not None:
                yield self._target(course, occurrences[-1], course=True)

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
        # A closed form cannot be answered any more: nobody needs a reminder for it.
        if target.form.closes_at <= timezone.now():
            return set(participant_ids)
        return selectors.participant_ids_responded(target.form, participant_ids)

    def action_url(self, target, participant):
        return absolute(reverse("evaluations:form", args=[target.form.pk]))


class EvaluationFollowup(EvaluationInvite):
    name = "evaluation_followup"
    label = _("Evaluation follow-up (to those who have not answered)")
    default_rules = ((_("Evaluation follow-up"), 3 * 1440, True),)


EVALUATION_INVITE = EvaluationInvite()
EVALUATION_FOLLOWUP = EvaluationFollowup()


def kinds():
    return [EVALUATION_INVITE, EVALUATION_FOLLOWUP]
