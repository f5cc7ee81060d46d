"""Reminders to update a country team's action plan after the course (registered in ActionPlansConfig.ready)."""

from __future__ import annotations

from datetime import UTC, timedelta

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from reminders.kinds import Kind, Target, absolute, workshops_meeting
from sessions_app.models import SessionOccurrence

from . import selectors


class ActionPlanFollowup(Kind):
    """Months after a group's last session, the country teams whose plan has open actions update it."""

    name = "action_plan_followup"
    label = _("Action plan follow-up (months after the course)")
    anchor_text = _("each follow-up moment")
    # Who still needs it is judged by updates since the moment, so it cannot come before.
    after_only = _("Action plan follow-ups are sent at or after the follow-up moment (use 0 or more).")
    default_rules = ((_("Action plan follow-up"), 0, True),)

    def workshops_with_anchor_between(self, earliest, latest):
        from .models import DEFAULT_FOLLOWUP_MONTHS, ActionPlanSettings, parse_months

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
            workshops_meeting(
                ends_at__range=(
                    selectors.add_months(earliest, -n, UTC) - margin,
                    selectors.add_months(latest, -n, UTC) + margin,
                )
            ).exclude(Exists(later))
            for n in sorted(months)
        ]

    def targets(self, rule):
        for moment in selectors.followup_schedule(rule.workshop):
            yield Target(
                key=f"followup:cohort:{moment.cohort_id}:months:{moment.months}",
                cohort_id=moment.cohort_id,
                anchor=moment.at,
                extra={"months": moment.months, "course_ended_at": moment.course_ended_at},
            )

    def completed_ids(self, target, participant_ids):
        """Teams without open actions need no reminder, nor those who updated their plan since the moment."""
        return selectors.participant_ids_followed_up(target.cohort_id, target.anchor, participant_ids)

    def action_url(self, target, participant):
        return absolute(reverse("action_plans:plan", args=[participant.cohort_id, participant.country.code]))

    def context(self, target, participant):
        return {"months": target.extra.get("months"), "open_actions": selectors.open_actions_of(participant)}


ACTION_PLAN_FOLLOWUP = ActionPlanFollowup()


def kinds():
    return [ACTION_PLAN_FOLLOWUP]
