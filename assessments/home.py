"""What the DTCA puts on the participant's home: their own assessment, then their country team's step."""

from __future__ import annotations

from datetime import datetime

from django.urls import reverse
from django.utils.translation import gettext as _

from common.registry import HomeItem, Urgency, urgency_for

from . import selectors


def home_items_for(participation, now: datetime) -> list[HomeItem]:
    workshop = participation.cohort.workshop
    task = selectors.assessment_task(workshop)
    run = selectors.run_for(workshop)
    if task is None and run is None:
        return []  # this workshop has no capability assessment
    due = selectors.due_moment(participation.cohort, task=task) if task is not None else None
    assessment = selectors.individual_assessment(run, participation) if run is not None else None
    title = _("Your capability self-assessment (DTCA)")
    if assessment is None or not assessment.is_submitted:
        status = "draft" if assessment is not None else "not_started"
        return [
            HomeItem(
                kind="dtca",
                kind_label=_("DTCA"),
                title=title,
                url=reverse("dtca_home"),
                status=status,
                status_label=_("Draft saved") if assessment is not None else _("Not started"),
                urgency=urgency_for(due, now),
                due_at=due,
                detail=_("Answer every statement, review, then submit; your draft is saved as you go."),
                action_label=_("Continue") if assessment is not None else _("Start"),
            )
        ]
    team = selectors.team(run, participation.cohort, participation.country)
    country = team.country_assessment
    if country is not None and country.is_submitted:
        return [
            HomeItem(
                kind="dtca",
                kind_label=_("DTCA"),
                title=_("%(country)s's country assessment") % {"country": participation.country.name},
                url=reverse("dtca_results"),
                status="country_submitted",
                status_label=_("Submitted"),
                urgency=Urgency.DONE,
                detail=_("Your team's assessment is submitted; see the results."),
                action_label=_("See results"),
            )
        ]
    if team.all_submitted:
        return [
            HomeItem(
                kind="dtca",
                kind_label=_("DTCA"),
                title=_("Agree %(country)s's country assessment") % {"country": participation.country.name},
                url=reverse("dtca_country"),
                status="country_waiting",
                status_label=_("Waiting for your team") if country is None else _("Team draft"),
                urgency=urgency_for(due, now),
                due_at=due,
                detail=_("Everyone in your country team has submitted: compare your answers and agree one assessment."),
                action_label=_("Open the country step"),
            )
        ]
    return [
        HomeItem(
            kind="dtca",
            kind_label=_("DTCA"),
            title=title,
            url=reverse("dtca_review"),
            status="submitted",
            status_label=_("Submitted"),
            urgency=Urgency.DONE,
            due_at=None,
            detail=_("%(done)s of %(total)s in your country team have submitted; the country step opens when all have.")
            % {"done": team.submitted_count, "total": len(team.members)},
            action_label=_("See your answers"),
        )
    ]
