"""Builders for SDG choices, NDP priorities and action plans."""

from action_plans.models import Action, ActionPlan, NdpPriority, Sdg, StructuredTask
from sessions_app.models import PreparationTask

from .factories import CountryFactory, ParticipantFactory
from .factories_preparation import task_in

Kind = StructuredTask.Kind
PerformedBy = PreparationTask.PerformedBy
Deliverable = PreparationTask.Deliverable


def sdg(number: int) -> Sdg:
    return Sdg.objects.get(number=number)


def sdg_task(workshop, number=1, **fields) -> PreparationTask:
    """An individual text task of session ``number`` answered with the SDG choice."""
    task = task_in(
        workshop,
        number,
        title=fields.pop("title", "Prepare a 1-minute presentation on one SDG"),
        kind=PreparationTask.Kind.PRESENTATION,
        deliverable=Deliverable.TEXT,
        **fields,
    )
    StructuredTask.objects.create(task=task, kind=Kind.SDG_CHOICE)
    return task


def priorities_task(workshop, number=3, **fields) -> PreparationTask:
    """A country-team slides task of session ``number`` answered with the team's NDP priorities."""
    task = task_in(
        workshop,
        number,
        title=fields.pop("title", "Up to 4 National Development Plan priorities"),
        kind=PreparationTask.Kind.SLIDES,
        performed_by=PerformedBy.COUNTRY_TEAM,
        deliverable=Deliverable.FILE,
        **fields,
    )
    StructuredTask.objects.create(task=task, kind=Kind.NDP_PRIORITIES)
    return task


def country_team(cohort, country=None, size=2, **country_fields):
    country = country or CountryFactory(**country_fields)
    return [ParticipantFactory(cohort=cohort, country=country) for _ in range(size)]


def priority(
    task, participant, position=1, *, title=None, sdgs=(16,), text="Digital ID and e-services."
) -> NdpPriority:
    made = NdpPriority.objects.create(
        task=task,
        cohort=participant.cohort,
        country=participant.country,
        position=position,
        title=title or f"Priority {position}",
        digital_contribution=text,
        created_by=participant,
        updated_by=participant,
    )
    made.sdgs.set([sdg(n) for n in sdgs])
    return made


def action(participant, dimension, *, title="Open online birth certificates", status="not_started", **fields):
    """An action in the participant's team plan, created directly (bypassing the pages)."""
    plan, _ = ActionPlan.objects.get_or_create(cohort=participant.cohort, country=participant.country)
    return Action.objects.create(
        plan=plan,
        title=title,
        dimension=dimension,
        status=status,
        created_by=participant,
        updated_by=participant,
        **fields,
    )
