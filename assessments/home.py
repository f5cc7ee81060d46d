"""What the DTCA puts on the participant's home: their own assessment, then their country team's step."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from common.registry import HomeItem, Urgency, urgency_for
from sessions_app.selectors import occurrences_by_number, viewer_occurrences

from . import selectors


def home_items_for(viewer) -> list[HomeItem]:
    participation, now = viewer.participation, viewer.now
    workshop = participation.cohort.workshop
    occurrences = viewer_occurrences(viewer)
    task = selectors.assessment_task_among(occurrences)
    assessment = selectors.own_assessment(workshop, participation)
    run = assessment.run if assessment is not None else None
    if task is None and assessment is None:
        run = selectors.run_for(workshop)
        if run is None:
            return []  # this workshop has no capability assessment
    due = task.due_at(occurrences_by_number(occurrences)) if task is not None else None
    title = _("Your capability self-assessment (DTCA)")
    if assessment is None or not assessment.is_submitted:
        status = "draft" if assessment is not None else "not_started"
        return [
            HomeItem(
                kind="dtca",
                kind_label=_("DTCA"),
                title=title,
                url=reverse("dtca:home"),
                status=status,
                status_label=_("Draft saved") if assessment is not None else _("Not started"),
                urgency=urgency_for(due, now),
                due_at=due,
                detail=_("Answer every statement, review, then submit; your draft is saved as you go."),
                action_label=_("Continue") if assessment is not None else _("Start"),
            )
        ]
    team = selectors.team_progress(run, participation.cohort_id, participation.country_id)
    if team.country_submitted:
        return [
            HomeItem(
                kind="dtca",
                kind_label=_("DTCA"),
                title=_("%(country)s's country assessment") % {"country": participation.country.name},
                url=reverse("dtca:results"),
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
                url=reverse("dtca:country"),
                status="country_waiting",
                status_label=_("Waiting for your team") if team.country_status is None else _("Team draft"),
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
            url=reverse("dtca:review"),
            status="submitted",
            status_label=_("Submitted"),
            urgency=Urgency.DONE,
            due_at=None,
            detail=_("%(done)s of %(total)s in your country team have submitted; the country step opens when all have.")
            % {"done": team.submitted, "total": team.total},
            action_label=_("See your answers"),
        )
    ]
