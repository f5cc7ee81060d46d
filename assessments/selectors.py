"""Functions that read the assessment.

Other features call ``participant_ids_submitted`` and ``weakest_dimensions``;
keep their names and signatures.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.core.cache import cache
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from common import fragments
from participants.models import Country, Participant
from sessions_app.models import Cohort, PreparationTask, SessionOccurrence, Workshop
from sessions_app.selectors import occurrences_by_number

from . import scoring
from .instrument_file import DEFAULT_INSTRUMENT_KEY
from .models import (
    Answer,
    AssessmentRun,
    CountryAnswer,
    CountryAssessment,
    Dimension,
    GroupViewRelease,
    IndividualAssessment,
    Instrument,
    ScaleLevel,
    Statement,
    Status,
)

ANSWERED = Q(score__isnull=False) | Q(dont_know=True)


# --------------------------------------------------------------------------- the instrument


@dataclass
class Structure:
    """An instrument with its dimensions and statements in questionnaire order, numbered."""

    instrument: Instrument
    dimensions: list[Dimension]
    statements: list[Statement]
    scale: list[ScaleLevel]

    @property
    def statement_count(self) -> int:
        return len(self.statements)

    def dimension_number(self, number: int) -> Dimension | None:
        return self.dimensions[number - 1] if 1 <= number <= len(self.dimensions) else None

    def statement(self, pk: int) -> Statement | None:
        return next((s for s in self.statements if s.pk == pk), None)


STRUCTURE_CACHE_SECONDS = 3600


def structure_cache_key(instrument_id: int) -> str:
    return f"portal:instrument-structure:v2:{instrument_id}"


def instrument_structure(instrument: Instrument) -> Structure:
    """The questionnaire's dimensions, statements and scale, numbered; kept in the shared cache (one read instead
    of three queries), forgotten when any of them is saved or deleted (assessments.signals). A page built from
    the kept copy depends on the tables it was read from, as if it had read them (common.fragments)."""
    key = structure_cache_key(instrument.pk)
    kept = cache.get(key)
    if kept is None:
        with fragments.reads_recorded() as tables:
            structure = _read_structure(instrument)
        cache.set(key, (structure, frozenset(tables)), STRUCTURE_CACHE_SECONDS)
    else:
        structure, tables = kept
        fragments.note_read(tables)
    structure.instrument = instrument
    return structure


def _read_structure(instrument: Instrument) -> Structure:
    dimensions = list(Dimension.objects.filter(instrument=instrument).order_by("order", "pk"))
    by_pk = {d.pk: d for d in dimensions}
    for number, dimension in enumerate(dimensions, start=1):
        dimension.number = number
        dimension.statement_list = []
    statements = list(Statement.objects.filter(dimension__instrument=instrument).order_by("order", "pk"))
    for statement in statements:
        dimension = by_pk[statement.dimension_id]
        statement.dimension = dimension
        dimension.statement_list.append(statement)
    ordered = []
    for dimension in dimensions:
        for number, statement in enumerate(dimension.statement_list, start=1):
            statement.number = number
            # "Leadership 2": how pages, messages and exports name a statement.
            statement.label = f"{dimension.name} {number}"
            ordered.append(statement)
    scale = list(ScaleLevel.objects.filter(instrument=instrument).order_by("value"))
    return Structure(instrument=instrument, dimensions=dimensions, statements=ordered, scale=scale)


def default_instrument() -> Instrument | None:
    """The newest version of the shipped questionnaire (or of any, on an install that renamed it)."""
    newest = Instrument.objects.order_by("-version", "-created_at")
    return newest.filter(key=DEFAULT_INSTRUMENT_KEY).first() or newest.first()


# --------------------------------------------------------------------------- runs and due moments


def run_for(workshop: Workshop) -> AssessmentRun | None:
    return AssessmentRun.objects.select_related("instrument", "workshop").filter(workshop=workshop).first()


def assessment_task(workshop: Workshop) -> PreparationTask | None:
    """The workshop's DTCA preparation task (the first task of kind "assessment")."""
    return (
        PreparationTask.objects.filter(session__workshop=workshop, kind=PreparationTask.Kind.ASSESSMENT)
        .select_related("session", "due_session")
        .order_by("session__number", "order", "pk")
        .first()
    )


def assessment_task_among(occurrences) -> PreparationTask | None:
    """``assessment_task`` from a group's occurrences with their tasks already loaded (no query)."""
    tasks = [
        task
        for occurrence in occurrences
        for task in occurrence.session.tasks.all()
        if task.kind == PreparationTask.Kind.ASSESSMENT
    ]
    return min(tasks, key=lambda t: (t.session.number, t.order, t.pk), default=None)


def own_assessment(workshop: Workshop, participant: Participant) -> IndividualAssessment | None:
    """The participant's own assessment in the workshop's run, with the run (one query)."""
    return (
        IndividualAssessment.objects.filter(run__workshop=workshop, participant=participant)
        .select_related("run__instrument", "run__workshop")
        .order_by("run__pk")
        .first()
    )


_UNSET = object()


def due_moments(workshop: Workshop, cohorts=None, *, task=_UNSET) -> dict[int, datetime | None]:
    """The assessment's due moment for each group of the workshop, from the group's own occurrences."""
    if task is _UNSET:
        task = assessment_task(workshop)
    cohort_ids = [c.pk for c in cohorts] if cohorts is not None else list(workshop.cohorts.values_list("pk", flat=True))
    if task is None:
        return dict.fromkeys(cohort_ids)
    by_cohort = defaultdict(list)
    for occurrence in SessionOccurrence.objects.filter(cohort_id__in=cohort_ids).select_related("session"):
        by_cohort[occurrence.cohort_id].append(occurrence)
    return {pk: task.due_at(occurrences_by_number(by_cohort[pk])) for pk in cohort_ids}


def due_moment(cohort: Cohort, *, task=_UNSET) -> datetime | None:
    return due_moments(cohort.workshop, [cohort], task=task)[cohort.pk]


def group_view_released(run: AssessmentRun, cohort: Cohort) -> bool:
    return GroupViewRelease.objects.filter(run=run, cohort=cohort).exists()


# --------------------------------------------------------------------------- one participant, one team


def individual_assessment(run: AssessmentRun, participant: Participant) -> IndividualAssessment | None:
    return IndividualAssessment.objects.filter(run=run, participant=participant).first()


def answers_by_statement(assessment) -> dict[int, Answer]:
    if assessment is None:
        return {}
    return {answer.statement_id: answer for answer in assessment.answers.order_by()}


def country_answers_by_statement(country_assessment) -> dict[int, CountryAnswer]:
    if country_assessment is None:
        return {}
    return {a.statement_id: a for a in country_assessment.answers.select_related("edited_by").order_by()}


def unanswered_statements(structure: Structure, answers: dict) -> list[Statement]:
    return [s for s in structure.statements if s.pk not in answers or not answers[s.pk].is_answered]


@dataclass
class TeamMember:
    participant: Participant
    assessment: IndividualAssessment | None
    answered: int

    @property
    def is_submitted(self) -> bool:
        return self.assessment is not None and self.assessment.is_submitted


@dataclass
class Team:
    """A country team: the active participants of one country in one group."""

    run: AssessmentRun
    cohort: Cohort
    country: Country
    members: list[TeamMember]
    country_assessment: CountryAssessment | None

    @property
    def all_submitted(self) -> bool:
        return bool(self.members) and all(member.is_submitted for member in self.members)

    @property
    def submitted_count(self) -> int:
        return sum(1 for member in self.members if member.is_submitted)

    def member(self, participant) -> TeamMember | None:
        return next((m for m in self.members if m.participant.pk == participant.pk), None)


@dataclass
class TeamProgress:
    """How far a country team is, without its members (the home's line)."""

    total: int
    submitted: int
    country_status: str | None  # the country assessment's status, None before anyone starts it

    @property
    def all_submitted(self) -> bool:
        return self.total > 0 and self.submitted == self.total

    @property
    def country_submitted(self) -> bool:
        return self.country_status == Status.SUBMITTED


def team_progress(run: AssessmentRun, cohort_id: int, country_id: int) -> TeamProgress:
    """One query: how many active members the team has, how many have submitted, the country step's status."""

    def count(queryset):
        return Subquery(queryset.order_by().values("country_id").annotate(n=Count("pk")).values("n")[:1])

    members = Participant.objects.filter(cohort_id=cohort_id, country_id=OuterRef("pk"), is_active=True)
    submitted = IndividualAssessment.objects.filter(run=run, participant=OuterRef("pk"), status=Status.SUBMITTED)
    row = (
        Country.objects.filter(pk=country_id)
        .annotate(
            total=count(members),
            submitted=count(members.filter(Exists(submitted))),
            country_status=Subquery(
                CountryAssessment.objects.filter(run=run, cohort_id=cohort_id, country_id=OuterRef("pk")).values(
                    "status"
                )[:1]
            ),
        )
        .values("total", "submitted", "country_status")
        .first()
    ) or {}
    return TeamProgress(row.get("total") or 0, row.get("submitted") or 0, row.get("country_status"))


def team(run: AssessmentRun, cohort: Cohort, country: Country) -> Team:
    participants = list(
        Participant.objects.filter(cohort=cohort, country=country, is_active=True)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "pk")
    )
    assessments = {
        a.participant_id: a
        for a in IndividualAssessment.objects.filter(run=run, participant__in=participants)
        .order_by()
        .annotate(answered_count=Count("answers", filter=Q(answers__score__isnull=False) | Q(answers__dont_know=True)))
    }
    members = [
        TeamMember(p, assessments.get(p.pk), getattr(assessments.get(p.pk), "answered_count", 0)) for p in participants
    ]
    country_assessment = (
        CountryAssessment.objects.filter(run=run, cohort=cohort, country=country)
        .select_related("last_edited_by", "submitted_by")
        .first()
    )
    return Team(run, cohort, country, members, country_assessment)


@dataclass
class StatementComparison:
    """One statement with every team member's rating, for the consolidation page."""

    statement: Statement
    members: list[TeamMember]
    member_answers: list[Answer | None]
    country_answer: CountryAnswer | None

    @property
    def pairs(self) -> list[tuple[TeamMember, Answer | None]]:
        return list(zip(self.members, self.member_answers, strict=True))

    @property
    def difference(self) -> int | None:
        return scoring.rating_difference(
            (a.score, a.dont_know) for a in self.member_answers if a is not None and a.is_answered
        )

    @property
    def is_notable(self) -> bool:
        return (self.difference or 0) >= scoring.NOTABLE_DIFFERENCE

    @property
    def has_dont_know(self) -> bool:
        return any(a is not None and a.dont_know for a in self.member_answers)


def team_comparison(structure: Structure, team: Team) -> list[StatementComparison]:
    """Every statement with the members' submitted answers side by side, and the country's agreed answer."""
    assessment_ids = [m.assessment.pk for m in team.members if m.is_submitted]
    by_assessment = defaultdict(dict)
    for answer in Answer.objects.filter(assessment_id__in=assessment_ids).order_by():
        by_assessment[answer.assessment_id][answer.statement_id] = answer
    agreed = country_answers_by_statement(team.country_assessment)
    rows = []
    for statement in structure.statements:
        member_answers = [
            by_assessment[m.assessment.pk].get(statement.pk) if m.is_submitted else None for m in team.members
        ]
        rows.append(StatementComparison(statement, team.members, member_answers, agreed.get(statement.pk)))
    return rows


# --------------------------------------------------------------------------- results and comparison


@dataclass
class CountryResult:
    cohort: Cohort
    country: Country
    members: int
    submitted: int
    country_assessment: CountryAssessment | None
    scores: list[scoring.DimensionScore] | None = None

    @property
    def source(self) -> str | None:
        """Where the scores come from: the team's agreed assessment, or the mean of its members' submissions."""
        if self.country_assessment is not None and self.country_assessment.is_submitted:
            return "agreed"
        if self.submitted:
            return "team mean"
        return None

    @property
    def source_label(self) -> str:
        if self.source == "agreed":
            return _("agreed country assessment")
        if self.source == "team mean":
            return ngettext(
                "mean of %(submitted)s of %(members)s individual submission",
                "mean of %(submitted)s of %(members)s individual submissions",
                self.members,
            ) % {"submitted": self.submitted, "members": self.members}
        return _("no submissions yet")


@dataclass
class GroupView:
    cohort: Cohort
    countries: list[CountryResult]
    stats: list[scoring.DimensionStats] = field(default_factory=list)
    released: bool = False
    due_at: datetime | None = None

    @property
    def with_results(self) -> list[CountryResult]:
        return [c for c in self.countries if c.scores is not None]

    @property
    def by_agreement(self) -> list[scoring.DimensionStats]:
        return scoring.by_agreement(self.stats)

    @property
    def most_agreement(self) -> scoring.DimensionStats | None:
        ordered = self.by_agreement
        return ordered[0] if ordered else None

    @property
    def most_difference(self) -> scoring.DimensionStats | None:
        return scoring.most_difference(self.stats)

    @property
    def group_means(self) -> list[float | None]:
        return [s.mean for s in self.stats]


def group_views(
    run: AssessmentRun, structure: Structure, cohorts, *, country: Country | None = None
) -> list[GroupView]:
    """The comparison of countries in each group, with a constant number of queries whatever their number.

    Countries are listed alphabetically. A country's scores are its submitted
    agreed assessment where there is one, otherwise the mean of its active
    members' submitted individual assessments. ``country`` limits the rows to one
    country (the group statistics are then about that country alone).
    """
    cohorts = list(cohorts)
    cohort_ids = [c.pk for c in cohorts]
    participants = Participant.objects.filter(cohort_id__in=cohort_ids, is_active=True).select_related("country")
    # No ordering: the rows are grouped in Python, and the model's ordering would add joins.
    individual = Answer.objects.filter(
        assessment__run=run,
        assessment__status=Status.SUBMITTED,
        assessment__participant__cohort_id__in=cohort_ids,
        assessment__participant__is_active=True,
    ).order_by()
    consolidated = CountryAssessment.objects.filter(run=run, cohort_id__in=cohort_ids).select_related(
        "country", "last_edited_by", "submitted_by"
    )
    if country is not None:
        participants = participants.filter(country=country)
        individual = individual.filter(assessment__participant__country=country)
        consolidated = consolidated.filter(country=country)

    members = defaultdict(int)
    countries = {}
    for participant in participants:
        members[(participant.cohort_id, participant.country_id)] += 1
        countries[(participant.cohort_id, participant.country_id)] = participant.country

    ratings_by_assessment = defaultdict(dict)
    team_of_assessment = {}
    for cohort_id, country_id, assessment_id, statement_id, score, dont_know in individual.values_list(
        "assessment__participant__cohort_id",
        "assessment__participant__country_id",
        "assessment_id",
        "statement_id",
        "score",
        "dont_know",
    ):
        ratings_by_assessment[assessment_id][statement_id] = (score, dont_know)
        team_of_assessment[assessment_id] = (cohort_id, country_id)

    country_assessments = {}
    for assessment in consolidated:
        team_key = (assessment.cohort_id, assessment.country_id)
        country_assessments[team_key] = assessment
        countries.setdefault(team_key, assessment.country)
    submitted_ids = [a.pk for a in country_assessments.values() if a.is_submitted]
    agreed_ratings = defaultdict(dict)
    for country_assessment_id, statement_id, score, dont_know in (
        CountryAnswer.objects.filter(country_assessment_id__in=submitted_ids).order_by()
    ).values_list("country_assessment_id", "statement_id", "score", "dont_know"):
        agreed_ratings[country_assessment_id][statement_id] = (score, dont_know)

    individual_profiles = defaultdict(list)
    for assessment_id, ratings in ratings_by_assessment.items():
        individual_profiles[team_of_assessment[assessment_id]].append(
            scoring.score_dimensions(structure.dimensions, ratings)
        )

    views = []
    for cohort in cohorts:
        rows = []
        for team_key, team_country in countries.items():
            if team_key[0] != cohort.pk:
                continue
            profiles = individual_profiles.get(team_key, [])
            result = CountryResult(
                cohort=cohort,
                country=team_country,
                members=members.get(team_key, 0),
                submitted=len(profiles),
                country_assessment=country_assessments.get(team_key),
            )
            if result.source == "agreed":
                result.scores = scoring.score_dimensions(
                    structure.dimensions, agreed_ratings[result.country_assessment.pk]
                )
            elif result.source == "team mean":
                result.scores = scoring.mean_profile(structure.dimensions, profiles)
            rows.append(result)
        rows.sort(key=lambda row: row.country.name.casefold())
        stats = scoring.dimension_stats(structure.dimensions, [row.scores for row in rows if row.scores is not None])
        views.append(GroupView(cohort=cohort, countries=rows, stats=stats))
    return views


def country_result(run: AssessmentRun, structure: Structure, cohort: Cohort, country: Country) -> CountryResult | None:
    views = group_views(run, structure, [cohort], country=country)
    return views[0].countries[0] if views and views[0].countries else None


@dataclass
class StatusRow:
    """One country team's progress, for the facilitator's follow-up."""

    country: Country
    members: list[tuple[Participant, IndividualAssessment | None]]
    country_assessment: CountryAssessment | None


def cohorts_with_release(run: AssessmentRun, workshop: Workshop) -> list[Cohort]:
    """The workshop's groups, each with ``group_view_released`` (one query)."""
    return list(
        workshop.cohorts.annotate(
            group_view_released=Exists(GroupViewRelease.objects.filter(run=run, cohort=OuterRef("pk")))
        )
    )


def submission_status(run: AssessmentRun, cohort: Cohort, *, consolidated: dict | None = None) -> list[StatusRow]:
    """Each country team's members and their progress; ``consolidated`` (country id → country assessment) when
    the caller has read the group's country assessments already."""
    participants = list(
        Participant.objects.filter(cohort=cohort, is_active=True)
        .select_related("user", "country")
        .order_by("country__name", "user__last_name", "user__first_name")
    )
    assessments = {
        a.participant_id: a
        for a in IndividualAssessment.objects.filter(run=run, participant__cohort=cohort)
        .order_by()
        .annotate(answered_count=Count("answers", filter=Q(answers__score__isnull=False) | Q(answers__dont_know=True)))
    }
    if consolidated is None:
        consolidated = {
            a.country_id: a
            for a in CountryAssessment.objects.filter(run=run, cohort=cohort).select_related(
                "last_edited_by", "submitted_by"
            )
        }
    rows: dict[int, StatusRow] = {}
    for participant in participants:
        row = rows.setdefault(
            participant.country_id,
            StatusRow(participant.country, [], consolidated.get(participant.country_id)),
        )
        row.members.append((participant, assessments.get(participant.pk)))
    return list(rows.values())


# --------------------------------------------------------------------------- exports


@dataclass
class ExportRespondent:
    kind: str  # "Individual" or "Country (agreed)"
    cohort: Cohort
    country: Country
    name: str
    email: str
    institution: str
    position: str
    submitted_at: datetime
    is_late: bool
    answers: dict[int, object]


def export_respondents(run: AssessmentRun, cohorts):
    """Every submitted individual and agreed country assessment of the groups, with its answers.

    Reads in batches, so a large export streams in constant memory per batch.
    """
    cohort_ids = [c.pk for c in cohorts]
    individuals = (
        IndividualAssessment.objects.filter(run=run, status=Status.SUBMITTED, participant__cohort_id__in=cohort_ids)
        .select_related("participant__user", "participant__country", "participant__cohort")
        .order_by("participant__cohort__name", "participant__country__name", "participant__user__last_name", "pk")
    )
    batch_size = 200
    for start in range(0, individuals.count(), batch_size):
        batch = list(individuals[start : start + batch_size])
        answers = defaultdict(dict)
        for answer in Answer.objects.filter(assessment__in=batch).order_by():
            answers[answer.assessment_id][answer.statement_id] = answer
        for assessment in batch:
            participant = assessment.participant
            yield ExportRespondent(
                kind="Individual",
                cohort=participant.cohort,
                country=participant.country,
                name=participant.user.get_full_name() or participant.user.email,
                email=participant.user.email,
                institution=participant.institution,
                position=participant.position,
                submitted_at=assessment.submitted_at,
                is_late=assessment.is_late,
                answers=answers[assessment.pk],
            )
    agreed = list(
        CountryAssessment.objects.filter(run=run, status=Status.SUBMITTED, cohort_id__in=cohort_ids)
        .select_related("cohort", "country", "submitted_by")
        .order_by("cohort__name", "country__name")
    )
    answers = defaultdict(dict)
    for answer in CountryAnswer.objects.filter(country_assessment__in=agreed).order_by():
        answers[answer.country_assessment_id][answer.statement_id] = answer
    for assessment in agreed:
        yield ExportRespondent(
            kind=_("Country (agreed)"),
            cohort=assessment.cohort,
            country=assessment.country,
            name=_("%(country)s country team") % {"country": assessment.country.name},
            email=assessment.submitted_by.email if assessment.submitted_by_id else "",
            institution="",
            position="",
            submitted_at=assessment.submitted_at,
            is_late=assessment.is_late,
            answers=answers[assessment.pk],
        )


# --------------------------------------------------------------------------- interfaces for other features


def participant_ids_submitted(workshop: Workshop, participant_ids) -> set[int]:
    """Which of these participants have submitted their individual assessment in this workshop."""
    return set(
        IndividualAssessment.objects.filter(
            run__workshop=workshop, participant_id__in=list(participant_ids), status=Status.SUBMITTED
        ).values_list("participant_id", flat=True)
    )


def weakest_dimensions(cohort: Cohort, country: Country, limit: int | None = None) -> list[Dimension]:
    """The country team's dimensions from lowest score up (agreed scores, else the team's mean).

    Ties keep questionnaire order. Dimensions without any score (only "don't
    know") are left out: they are evidence gaps, not weaknesses. Empty when the
    team has no submitted assessment.
    """
    run = run_for(cohort.workshop)
    if run is None:
        return []
    structure = instrument_structure(run.instrument)
    result = country_result(run, structure, cohort, country)
    if result is None or result.scores is None:
        return []
    scored = [
        (score.mean, score.dimension.number, score.dimension) for score in result.scores if score.mean is not None
    ]
    ordered = [dimension for _, _, dimension in sorted(scored, key=lambda item: (item[0], item[1]))]
    return ordered[:limit] if limit is not None else ordered
