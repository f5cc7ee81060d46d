"""Who may see and change which SDG choice, priority list and action plan. Refusals are 404s.

- SDG choices and priorities: the participant's own group's tasks only (others: 404); each participant their own
  SDG choice, the country team its priorities (``services`` checks membership and the task's moment).
- An action plan belongs to a country team of a group: its active members read and change it; the workshop's
  facilitators and organizers read it (never change it), and only for a country that has a team in the group;
  everyone else gets a 404.
- An action is reached only through its own plan.
- The group's overviews (plans, priorities, SDGs, follow-up board) are for the workshop's facilitators and
  organizers (``participants.access.facilitated_cohort_or_404``).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404
from django.utils.translation import gettext as _

from common.access import Viewer
from participants.models import Country, Participant
from sessions_app.models import Cohort, PreparationTask

from . import selectors
from .models import Action, ActionPlan


@dataclass
class PlanAccess:
    cohort: Cohort
    country: Country
    member: Participant | None  # the viewer, when they are in the team: they may edit

    @property
    def can_edit(self) -> bool:
        return self.member is not None


def structured_task_or_404(viewer: Viewer, pk: int, kind: str) -> PreparationTask:
    """A task of the viewer's group's programme that this form answers, or 404."""
    participation = viewer.participation
    task = selectors.structured_task(pk, kind, participation) if participation is not None else None
    if task is None:
        raise Http404(_("This task is not answered with this form in your group's programme."))
    return task


def plan_access_or_404(viewer: Viewer, cohort_id: int, country_code: str, *, to_show: bool = False) -> PlanAccess:
    """Team members edit their plan, the workshop's facilitators read it; anyone else gets a 404.

    ``to_show``: the page only shows the plan; when the viewer's current participation (remembered per session)
    is in this team, no query is needed. Changes always check the membership afresh.
    """
    if not viewer.is_authenticated:
        raise Http404(_("No such action plan."))
    participation = viewer.participation if to_show else None
    if (
        participation is not None
        and participation.user_id == viewer.user.pk
        and participation.is_active
        and participation.cohort_id == cohort_id
        and participation.country.code.lower() == country_code.lower()
    ):
        return PlanAccess(participation.cohort, participation.country, participation)
    cohort = selectors.cohort_with_workshop(cohort_id)
    country = selectors.country_by_code(country_code)
    if cohort is None or country is None:
        raise Http404(_("No such action plan."))
    member = selectors.team_member(viewer.user, cohort, country)
    if member is not None:
        return PlanAccess(cohort, country, member)
    if not viewer.facilitates(cohort.workshop_id):
        raise Http404(_("No such action plan."))
    if not selectors.is_country_team(cohort, country):
        raise Http404(_("No country team of this country in the group."))
    return PlanAccess(cohort, country, None)


def member_access_or_404(viewer: Viewer, cohort_id: int, country_code: str) -> PlanAccess:
    """The plan, for a member of its country team (who may change it); 404 for facilitators and everyone else."""
    access = plan_access_or_404(viewer, cohort_id, country_code)
    if not access.can_edit:
        raise Http404(_("Only the country team changes its action plan."))
    return access


def action_of_plan_or_404(plan: ActionPlan | None, pk: int) -> Action:
    action = selectors.action_of_plan(plan, pk)
    if action is None:
        raise Http404(_("No such action in this plan."))
    return action


def can_edit(viewer: Viewer, obj) -> bool:
    """A plan, its actions and priorities are changed by the active members of their country team only."""
    if isinstance(obj, Action):
        obj = obj.plan
    cohort_id, country_id = getattr(obj, "cohort_id", None), getattr(obj, "country_id", None)
    participation = viewer.participation
    return (
        participation is not None
        and participation.cohort_id == cohort_id
        and participation.country_id == country_id
        and cohort_id is not None
    )
