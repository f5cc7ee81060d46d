"""Functions that read SDG choices, priorities, action plans and their follow-up.

Every page's reads run a fixed number of queries whatever the number of countries, actions or participants.
The reminder kind ``action_plan_followup`` calls ``followup_schedule``, ``participant_ids_followed_up`` and
``open_actions_of``.
"""

from __future__ import annotations

import calendar
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple

from django.db.models import Count, Max, OuterRef, Prefetch, Q, Subquery
from django.utils import timezone

from assessments.models import Dimension
from common.request_memo import remembered
from participants.models import Country, Participant
from sessions_app.models import Cohort, PreparationTask, SessionOccurrence, Workshop

from .models import (
    DEFAULT_FOLLOWUP_MONTHS,
    OPEN_STATUSES,
    Action,
    ActionPlan,
    ActionPlanSettings,
    ActionStatus,
    ActionUpdate,
    GovernancePrinciple,
    NdpPriority,
    Sdg,
    SdgChoice,
    ServiceQuality,
    StructuredTask,
    counted_status,
)

# How many of a team's weakest DTCA dimensions the action form suggests first.
SUGGESTED_DIMENSIONS = 3

STATUS_STYLES = {
    ActionStatus.NOT_STARTED: "secondary",
    ActionStatus.STARTED: "primary",
    ActionStatus.DONE: "success",
    ActionStatus.STALLED: "warning",
}


# --------------------------------------------------------------------------- reference data and linked tasks


def sdgs() -> list[Sdg]:
    return list(Sdg.objects.order_by("number"))


def principles_by_group() -> list[tuple[str, list[GovernancePrinciple]]]:
    grouped = defaultdict(list)
    for principle in GovernancePrinciple.objects.order_by("order", "pk"):
        grouped[principle.group].append(principle)
    return [(label, grouped[key]) for key, label in GovernancePrinciple.Group.choices if grouped[key]]


def linked_tasks(workshop: Workshop) -> dict[str, list[PreparationTask]]:
    """The workshop's tasks linked to a structured form, by kind, in programme order (one query)."""
    links = (
        StructuredTask.objects.filter(task__session__workshop=workshop)
        .select_related("task__session", "task__due_session")
        .order_by("task__session__number", "task__order", "task__pk")
    )
    found = defaultdict(list)
    for link in links:
        found[link.kind].append(link.task)
    return dict(found)


def linked_task(workshop: Workshop, kind: str) -> PreparationTask | None:
    tasks = linked_tasks(workshop).get(kind, [])
    return tasks[0] if tasks else None


def structured_task(pk: int, kind: str, participant: Participant) -> PreparationTask | None:
    """A task of the participant's workshop that this form answers, or None."""
    link = (
        StructuredTask.objects.select_related("task__session__workshop", "task__due_session")
        .filter(task_id=pk, kind=kind, task__session__workshop_id=participant.cohort.workshop_id)
        .first()
    )
    return link.task if link is not None else None


# --------------------------------------------------------------------------- SDG choices


@dataclass
class SdgTally:
    sdg: Sdg
    choices: list[SdgChoice] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.choices)


@dataclass
class SdgOverview:
    cohort: Cohort
    task: PreparationTask
    tallies: list[SdgTally]
    participants: list[Participant]
    missing: list[Participant]

    @property
    def chosen_count(self) -> int:
        return sum(tally.count for tally in self.tallies)

    @property
    def chosen(self) -> list[SdgTally]:
        """The SDGs someone chose, most chosen first (then by number)."""
        return sorted((t for t in self.tallies if t.count), key=lambda t: (-t.count, t.sdg.number))

    @property
    def most(self) -> int:
        return max((t.count for t in self.tallies), default=0)


def group_sdg_choices(cohort: Cohort, task: PreparationTask) -> SdgOverview:
    """Which SDGs the active participants of a group chose for the task, and by whom (three queries)."""
    participants = list(
        Participant.objects.filter(cohort=cohort, is_active=True)
        .select_related("user", "country")
        .order_by("country__name", "user__last_name", "user__first_name")
    )
    tallies = {sdg.pk: SdgTally(sdg) for sdg in sdgs()}
    chosen_by = set()
    choices = (
        SdgChoice.objects.filter(task=task, participant__cohort=cohort, participant__is_active=True)
        .select_related("participant__user", "participant__country")
        .order_by("participant__country__name", "participant__user__last_name")
    )
    for choice in choices:
        tallies[choice.sdg_id].choices.append(choice)
        chosen_by.add(choice.participant_id)
    return SdgOverview(
        cohort=cohort,
        task=task,
        tallies=list(tallies.values()),
        participants=participants,
        missing=[p for p in participants if p.pk not in chosen_by],
    )


def sdg_choice_of(task: PreparationTask, participant: Participant) -> SdgChoice | None:
    return sdg_choices_by_task(participant).get(task.pk)


def sdg_choices_by_task(participant: Participant) -> dict[int, SdgChoice]:
    """The participant's SDG choices by task, read once per request (a session page's two cards show them)."""

    def read() -> dict[int, SdgChoice]:
        choices = SdgChoice.objects.filter(participant=participant).select_related("sdg", "participant__user")
        return {choice.task_id: choice for choice in choices}

    return remembered(("action_plans.sdg_choices", participant.pk), read)


# --------------------------------------------------------------------------- NDP priorities


def _sdgs_prefetch() -> Prefetch:
    return Prefetch("sdgs", queryset=Sdg.objects.order_by("number"))


def team_priorities(task: PreparationTask, cohort_id: int, country_id: int) -> list[NdpPriority]:
    return list(team_priorities_by_task(cohort_id, country_id).get(task.pk, []))


def team_priorities_by_task(cohort_id: int, country_id: int) -> dict[int, list[NdpPriority]]:
    """A country team's priorities with their SDGs, by task, in order; read once per request (a session page's
    preparation card and action plans card both show them)."""

    def read() -> dict[int, list[NdpPriority]]:
        priorities = (
            NdpPriority.objects.filter(cohort_id=cohort_id, country_id=country_id)
            .select_related("updated_by__user")
            .prefetch_related(_sdgs_prefetch())
            .order_by("position")
        )
        found = defaultdict(list)
        for priority in priorities:
            found[priority.task_id].append(priority)
        return dict(found)

    return remembered(("action_plans.team_priorities", cohort_id, country_id), read)


def plan_priorities(cohort_id: int, country_id: int) -> list[NdpPriority]:
    """The team's priorities from every priorities task of the workshop: what an action can serve."""
    return list(
        NdpPriority.objects.filter(cohort_id=cohort_id, country_id=country_id)
        .select_related("task__session")
        .prefetch_related(_sdgs_prefetch())
        .order_by("task__session__number", "position")
    )


@dataclass
class CountryPriorities:
    country: Country
    members: list[Participant]
    priorities: list[NdpPriority]

    @property
    def last_change(self) -> NdpPriority | None:
        return max(self.priorities, key=lambda p: p.updated_at, default=None)


@dataclass
class PrioritiesOverview:
    cohort: Cohort
    task: PreparationTask
    countries: list[CountryPriorities]
    sdg_counts: list[tuple[Sdg, int]]

    @property
    def with_priorities(self) -> int:
        return sum(1 for country in self.countries if country.priorities)


def group_priorities(cohort: Cohort, task: PreparationTask) -> PrioritiesOverview:
    """Every country team's priorities side by side, alphabetically (three queries)."""
    members = defaultdict(list)
    countries = {}
    for participant in (
        Participant.objects.filter(cohort=cohort, is_active=True)
        .select_related("user", "country")
        .order_by("country__name", "user__last_name", "user__first_name")
    ):
        members[participant.country_id].append(participant)
        countries[participant.country_id] = participant.country
    priorities = defaultdict(list)
    sdg_counter = Counter()
    sdg_by_pk = {}
    for priority in (
        NdpPriority.objects.filter(task=task, cohort=cohort)
        .select_related("country", "updated_by__user")
        .prefetch_related(_sdgs_prefetch())
        .order_by("position")
    ):
        priorities[priority.country_id].append(priority)
        countries.setdefault(priority.country_id, priority.country)
        for sdg in priority.sdgs.all():
            sdg_counter[sdg.pk] += 1
            sdg_by_pk[sdg.pk] = sdg
    rows = [
        CountryPriorities(country=country, members=members.get(pk, []), priorities=priorities.get(pk, []))
        for pk, country in countries.items()
    ]
    rows.sort(key=lambda row: row.country.name.casefold())
    counts = sorted(((sdg_by_pk[pk], n) for pk, n in sdg_counter.items()), key=lambda item: (-item[1], item[0].number))
    return PrioritiesOverview(cohort=cohort, task=task, countries=rows, sdg_counts=counts)


# --------------------------------------------------------------------------- a plan's group, country and team


def cohort_with_workshop(cohort_id: int) -> Cohort | None:
    return Cohort.objects.select_related("workshop").filter(pk=cohort_id).first()


def country_by_code(code: str) -> Country | None:
    return Country.objects.filter(code__iexact=code).first()


def team_member(user, cohort: Cohort, country: Country) -> Participant | None:
    """The user's active place in the country team of the group, or None."""
    return (
        Participant.objects.filter(user=user, cohort=cohort, country=country, is_active=True)
        .select_related("user", "country", "cohort__workshop")
        .first()
    )


def is_country_team(cohort: Cohort, country: Country) -> bool:
    """The group has (or had) participants of this country, or a plan of theirs."""
    return (
        Participant.objects.filter(cohort=cohort, country=country).exists()
        or ActionPlan.objects.filter(cohort=cohort, country=country).exists()
    )


def team_members(cohort_id: int, country_id: int) -> list[Participant]:
    return list(
        Participant.objects.filter(cohort_id=cohort_id, country_id=country_id, is_active=True)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "pk")
    )


# --------------------------------------------------------------------------- the plan


def plan_of(cohort_id: int, country_id: int, *, with_schedule: bool = False) -> ActionPlan | None:
    """The team's plan; ``with_schedule``: with what :func:`plan_schedule` needs, in the same query."""
    plans = ActionPlan.objects.filter(cohort_id=cohort_id, country_id=country_id).select_related(
        "cohort__workshop", "country", "updated_by__user"
    )
    if with_schedule:
        plans = plans.annotate(
            course_ended_at=Subquery(
                SessionOccurrence.objects.filter(cohort_id=OuterRef("cohort_id"))
                .order_by("-ends_at")
                .values("ends_at")[:1]
            ),
            months_setting=Subquery(
                ActionPlanSettings.objects.filter(workshop_id=OuterRef("cohort__workshop_id")).values(
                    "followup_months"
                )[:1]
            ),
        )
    return plans.first()


def plan_schedule(plan: ActionPlan | None, cohort: Cohort) -> list[FollowupMoment]:
    """The group's follow-up moments; no query when the plan was read ``with_schedule``."""
    if plan is None or not hasattr(plan, "course_ended_at"):
        return [m for m in followup_schedule(cohort.workshop) if m.cohort_id == cohort.pk]
    if plan.course_ended_at is None:
        return []
    months = (
        ActionPlanSettings(followup_months=plan.months_setting).months
        if plan.months_setting is not None
        else list(DEFAULT_FOLLOWUP_MONTHS)
    )
    return group_followup_schedule(cohort.workshop, cohort.pk, plan.course_ended_at, months)


def actions_queryset():
    return (
        Action.objects.select_related("dimension", "priority", "updated_by__user", "created_by__user")
        .prefetch_related(
            _sdgs_prefetch(),
            Prefetch("qualities", queryset=ServiceQuality.objects.order_by("order", "pk")),
            Prefetch("updates", queryset=ActionUpdate.objects.select_related("by__user").order_by("-at", "-pk")),
        )
        .order_by("created_at", "pk")
    )


def plan_actions(plan: ActionPlan | None) -> list[Action]:
    if plan is None:
        return []
    actions = list(actions_queryset().filter(plan=plan))
    for number, action in enumerate(actions, start=1):
        action.number = number
    return actions


def action_of_plan(plan: ActionPlan | None, pk: int) -> Action | None:
    return actions_queryset().filter(plan=plan, pk=pk).first() if plan is not None else None


class StatusCount(NamedTuple):
    value: str
    label: str
    count: int
    style: str

    @property
    def text(self) -> str:
        """What a badge shows: "4 not started", a plural message per status (models.counted_status)."""
        return counted_status(self.value, self.count)


def status_counts(actions) -> list[StatusCount]:
    """(value, label, count, style) for every status, in the order of the choices."""
    return _status_rows(Counter(action.status for action in actions))


def team_status_counts(cohort_id: int, country_id: int) -> list[StatusCount]:
    """The statuses of a team's actions, counted without loading the actions (one query)."""
    statuses = Action.objects.filter(plan__cohort_id=cohort_id, plan__country_id=country_id).values_list(
        "status", flat=True
    )
    return _status_rows(Counter(statuses))


def _status_rows(counter: Counter) -> list[StatusCount]:
    return [
        StatusCount(value, label, counter.get(value, 0), STATUS_STYLES[value]) for value, label in ActionStatus.choices
    ]


# --------------------------------------------------------------------------- dimensions


def dimensions_for(workshop: Workshop) -> list[Dimension]:
    """The dimensions of the workshop's DTCA instrument (the shipped one while the workshop has none yet)."""
    from assessments.selectors import default_instrument, run_for

    run = run_for(workshop)
    instrument = run.instrument if run is not None else default_instrument()
    if instrument is None:
        return []
    return list(Dimension.objects.filter(instrument=instrument).order_by("order", "pk"))


@dataclass
class DimensionChoices:
    suggested: list[Dimension]  # the team's weakest, weakest first
    others: list[Dimension]

    @property
    def all(self) -> list[Dimension]:
        return self.suggested + self.others


def dimension_choices(cohort: Cohort, country: Country, *, keep: Dimension | None = None) -> DimensionChoices:
    """The DTCA dimensions an action can strengthen: the team's weakest first, then the rest in questionnaire
    order. ``keep`` is an action's current dimension, kept even if the instrument has changed since."""
    from assessments.selectors import weakest_dimensions

    dimensions = dimensions_for(cohort.workshop)
    if keep is not None and keep.pk not in {d.pk for d in dimensions}:
        dimensions.append(keep)
    available = {d.pk for d in dimensions}
    suggested = [d for d in weakest_dimensions(cohort, country, limit=SUGGESTED_DIMENSIONS) if d.pk in available]
    suggested_ids = {d.pk for d in suggested}
    return DimensionChoices(suggested=suggested, others=[d for d in dimensions if d.pk not in suggested_ids])


# --------------------------------------------------------------------------- facilitators: a group's plans


@dataclass
class CountryPlan:
    country: Country
    members: list[Participant]
    plan: ActionPlan | None
    actions: list[Action]
    by_dimension: list[int]

    @property
    def statuses(self):
        return status_counts(self.actions)


@dataclass
class GroupPlans:
    cohort: Cohort
    dimensions: list[Dimension]
    countries: list[CountryPlan]

    @property
    def actions(self) -> list[Action]:
        return [action for country in self.countries for action in country.actions]

    @property
    def totals_by_dimension(self) -> list[int]:
        return [sum(row.by_dimension[i] for row in self.countries) for i in range(len(self.dimensions))]

    @property
    def statuses(self):
        return status_counts(self.actions)

    @property
    def with_plan(self) -> int:
        return sum(1 for row in self.countries if row.actions)


def group_plans(cohort: Cohort) -> GroupPlans:
    """Every country team's plan in a group, with actions counted per dimension (a fixed number of queries)."""
    dimensions = dimensions_for(cohort.workshop)
    members = defaultdict(list)
    countries = {}
    for participant in (
        Participant.objects.filter(cohort=cohort, is_active=True)
        .select_related("user", "country")
        .order_by("country__name", "user__last_name", "user__first_name")
    ):
        members[participant.country_id].append(participant)
        countries[participant.country_id] = participant.country
    plans = {
        plan.country_id: plan
        for plan in ActionPlan.objects.filter(cohort=cohort).select_related("country", "updated_by__user")
    }
    for plan in plans.values():
        countries.setdefault(plan.country_id, plan.country)
    actions = defaultdict(list)
    for action in actions_queryset().filter(plan__cohort=cohort):
        actions[action.plan_id].append(action)
    extra_dimensions = {
        a.dimension.pk: a.dimension for group in actions.values() for a in group if a.dimension not in dimensions
    }
    dimensions = dimensions + list(extra_dimensions.values())
    index = {d.pk: i for i, d in enumerate(dimensions)}
    rows = []
    for pk, country in countries.items():
        plan = plans.get(pk)
        plan_actions = actions.get(plan.pk, []) if plan else []
        for number, action in enumerate(plan_actions, start=1):
            action.number = number
        by_dimension = [0] * len(dimensions)
        for action in plan_actions:
            by_dimension[index[action.dimension_id]] += 1
        rows.append(
            CountryPlan(
                country=country, members=members.get(pk, []), plan=plan, actions=plan_actions, by_dimension=by_dimension
            )
        )
    rows.sort(key=lambda row: row.country.name.casefold())
    return GroupPlans(cohort=cohort, dimensions=dimensions, countries=rows)


# --------------------------------------------------------------------------- follow-up after the course


def followup_months(workshop: Workshop) -> list[int]:
    settings = ActionPlanSettings.objects.filter(workshop=workshop).first()
    return settings.months if settings is not None else list(DEFAULT_FOLLOWUP_MONTHS)


def add_months(moment: datetime, months: int, zone) -> datetime:
    """The same wall-clock time ``months`` calendar months later in ``zone`` (31 Jan + 1 month = 28/29 Feb)."""
    local = moment.astimezone(zone)
    index = local.month - 1 + months
    year, month = local.year + index // 12, index % 12 + 1
    day = min(local.day, calendar.monthrange(year, month)[1])
    return local.replace(year=year, month=month, day=day)


@dataclass
class FollowupMoment:
    cohort_id: int
    months: int
    at: datetime
    course_ended_at: datetime

    @property
    def is_past(self) -> bool:
        return self.at <= timezone.now()


def followup_schedule(workshop: Workshop) -> list[FollowupMoment]:
    """Each group's follow-up moments: its last session's end plus each interval (two queries)."""
    months = followup_months(workshop)
    last_ends = (
        SessionOccurrence.objects.filter(session__workshop=workshop)
        .values("cohort_id")
        .annotate(last_end=Max("ends_at"))
        .order_by("cohort_id")
    )
    return [
        FollowupMoment(
            cohort_id=row["cohort_id"],
            months=n,
            at=add_months(row["last_end"], n, workshop.tz),
            course_ended_at=row["last_end"],
        )
        for row in last_ends
        for n in months
    ]


def group_followup_schedule(
    workshop: Workshop, cohort_id: int, course_ended_at: datetime, months: list[int] | None = None
) -> list[FollowupMoment]:
    """One group's follow-up moments from its last session's end, which the caller has (one query, none when
    ``months`` is given)."""
    return [
        FollowupMoment(
            cohort_id=cohort_id,
            months=n,
            at=add_months(course_ended_at, n, workshop.tz),
            course_ended_at=course_ended_at,
        )
        for n in (followup_months(workshop) if months is None else months)
    ]


def plan_with_open_count(cohort_id: int, country_id: int) -> ActionPlan | None:
    """The country team's plan with ``open_count``, its actions not done yet, and ``followup_months``, the
    workshop's follow-up intervals (one query)."""
    plan = (
        ActionPlan.objects.filter(cohort_id=cohort_id, country_id=country_id)
        .annotate(
            open_count=Count("actions", filter=Q(actions__status__in=OPEN_STATUSES)),
            months_setting=Subquery(
                ActionPlanSettings.objects.filter(workshop_id=OuterRef("cohort__workshop_id")).values(
                    "followup_months"
                )[:1]
            ),
        )
        .first()
    )
    if plan is not None:
        plan.followup_months = (
            ActionPlanSettings(followup_months=plan.months_setting).months
            if plan.months_setting is not None
            else list(DEFAULT_FOLLOWUP_MONTHS)
        )
    return plan


def participant_ids_followed_up(cohort_id: int, since: datetime, participant_ids) -> set[int]:
    """Those of these participants whom a follow-up for the moment ``since`` does not concern: their country
    team's plan has no open action (not done), or a member has updated it at or after that moment."""
    people = list(Participant.objects.filter(pk__in=list(participant_ids)).values_list("pk", "cohort_id", "country_id"))
    needing = set(
        ActionPlan.objects.filter(cohort_id=cohort_id, actions__status__in=OPEN_STATUSES)
        .exclude(updated_at__gte=since)
        .values_list("country_id", flat=True)
    )
    return {pk for pk, cohort, country in people if cohort != cohort_id or country not in needing}


def open_actions_of(participant: Participant) -> list[Action]:
    return list(
        Action.objects.filter(
            plan__cohort_id=participant.cohort_id,
            plan__country_id=participant.country_id,
            status__in=OPEN_STATUSES,
        )
        .select_related("dimension")
        .order_by("created_at", "pk")
    )


@dataclass
class FollowupCountry:
    cohort: Cohort
    country: Country
    plan: ActionPlan | None
    counts: Counter
    latest_moment: FollowupMoment | None  # the latest follow-up moment already reached for the group

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def count(self, status: str) -> int:
        return self.counts.get(status, 0)

    @property
    def open_count(self) -> int:
        return sum(self.counts.get(status, 0) for status in OPEN_STATUSES)

    @property
    def is_up_to_date(self) -> bool | None:
        """Updated since the latest follow-up moment; None before the first one or without open actions."""
        if self.latest_moment is None or not self.open_count:
            return None
        return bool(self.plan and self.plan.updated_at and self.plan.updated_at >= self.latest_moment.at)


#: The statuses in the order the report's tables show them (from not started to done).
STATUS_ORDER = [ActionStatus.NOT_STARTED, ActionStatus.STARTED, ActionStatus.STALLED, ActionStatus.DONE]


@dataclass
class StatusCounts:
    """How many actions of one kind (a dimension, a country team) are in each status: the follow-up board and the
    workshop report both count this way."""

    label: str
    counts: Counter

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def count(self, status: str) -> int:
        return self.counts.get(status, 0)

    @property
    def cells(self) -> list[int]:
        return [self.counts.get(s, 0) for s in STATUS_ORDER]


@dataclass
class FollowupBoard:
    workshop: Workshop
    cohorts: list[Cohort]
    schedule: list[tuple[Cohort, list[FollowupMoment]]]
    countries: list[FollowupCountry]
    dimensions: list[StatusCounts]  # labelled with the dimension's name

    @property
    def totals(self) -> Counter:
        total = Counter()
        for row in self.countries:
            total.update(row.counts)
        return total

    @property
    def total(self) -> int:
        return sum(self.totals.values())

    @property
    def statuses(self):
        return _status_rows(self.totals)


def followup_board(workshop: Workshop) -> FollowupBoard:
    """Actions by status, per country team and per dimension, across the workshop's groups (fixed queries)."""
    cohorts = list(Cohort.objects.filter(workshop=workshop).order_by("name"))
    by_pk = {cohort.pk: cohort for cohort in cohorts}
    schedule = defaultdict(list)
    for moment in followup_schedule(workshop):
        schedule[moment.cohort_id].append(moment)
    now = timezone.now()
    latest = {
        cohort_id: max((m for m in moments if m.at <= now), key=lambda m: m.at, default=None)
        for cohort_id, moments in schedule.items()
    }
    teams = {}
    for cohort_id, country in (
        (p.cohort_id, p.country)
        for p in Participant.objects.filter(cohort__workshop=workshop, is_active=True).select_related("country")
    ):
        teams[(cohort_id, country.pk)] = country
    plans = {}
    for plan in ActionPlan.objects.filter(cohort__workshop=workshop).select_related("country"):
        plans[(plan.cohort_id, plan.country_id)] = plan
        teams.setdefault((plan.cohort_id, plan.country_id), plan.country)
    counts = defaultdict(Counter)
    dimension_counts = defaultdict(Counter)
    dimensions = {d.pk: d for d in dimensions_for(workshop)}
    for cohort_id, country_id, dimension_id, status in Action.objects.filter(
        plan__cohort__workshop=workshop
    ).values_list("plan__cohort_id", "plan__country_id", "dimension_id", "status"):
        counts[(cohort_id, country_id)][status] += 1
        dimension_counts[dimension_id][status] += 1
    missing = [pk for pk in dimension_counts if pk not in dimensions]
    if missing:
        dimensions.update({d.pk: d for d in Dimension.objects.filter(pk__in=missing)})
    rows = [
        FollowupCountry(
            cohort=by_pk[cohort_id],
            country=country,
            plan=plans.get((cohort_id, country.pk)),
            counts=counts[(cohort_id, country.pk)],
            latest_moment=latest.get(cohort_id),
        )
        for (cohort_id, _), country in teams.items()
    ]
    rows.sort(key=lambda row: (row.cohort.name, row.country.name.casefold()))
    return FollowupBoard(
        workshop=workshop,
        cohorts=cohorts,
        schedule=[(cohort, schedule.get(cohort.pk, [])) for cohort in cohorts],
        countries=rows,
        dimensions=[StatusCounts(d.name, dimension_counts[pk]) for pk, d in dimensions.items()],
    )
