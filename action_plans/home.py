"""What action plans put on the participant's home: the follow-up of their country team's plan after the course."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from common.registry import HomeItem, Urgency, urgency_for
from sessions_app.selectors import viewer_occurrences

from . import selectors


def home_items_for(viewer) -> list[HomeItem]:
    """Once the group's last session is over: the next follow-up moment, or the one the team has not answered."""
    participation, now = viewer.participation, viewer.now
    occurrences = viewer_occurrences(viewer)
    if not occurrences:
        return []
    course_ended_at = max(occurrence.ends_at for occurrence in occurrences)
    if course_ended_at > now:
        return []
    plan = selectors.plan_with_open_count(participation.cohort_id, participation.country_id)
    open_count = plan.open_count if plan is not None else 0
    if not open_count:
        return []
    moments = selectors.group_followup_schedule(
        participation.cohort.workshop, participation.cohort_id, course_ended_at, plan.followup_months
    )
    if not moments:
        return []
    updated_at = plan.updated_at
    past = [m for m in moments if m.at <= now]
    missed = past[-1] if past and (updated_at is None or updated_at < past[-1].at) else None
    upcoming = next((m for m in moments if m.at > now), None)
    url = reverse("action_plans:plan", args=[participation.cohort_id, participation.country.code])
    detail = ngettext(
        "Your country team's plan has %(count)s open action: record how it is going.",
        "Your country team's plan has %(count)s open actions: record how they are going.",
        open_count,
    ) % {"count": open_count}
    if missed is not None:
        return [
            HomeItem(
                kind="action_plan",
                kind_label=_("Action plan"),
                title=_("%(months)s-month follow-up of your action plan") % {"months": missed.months},
                url=url,
                status="followup_due",
                status_label=_("Update due"),
                urgency=Urgency.OVERDUE,
                due_at=missed.at,
                detail=detail,
                action_label=_("Update the plan"),
            )
        ]
    if upcoming is None:
        return []
    return [
        HomeItem(
            kind="action_plan",
            kind_label=_("Action plan"),
            title=_("%(months)s-month follow-up of your action plan") % {"months": upcoming.months},
            url=url,
            status="followup_next",
            status_label=_("Up to date") if updated_at is not None else _("To do"),
            urgency=urgency_for(upcoming.at, now),
            due_at=upcoming.at,
            detail=detail,
            action_label=_("Open the plan"),
        )
    ]
