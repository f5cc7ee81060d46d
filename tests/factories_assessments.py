"""Builders for the capability assessment (DTCA): small instruments, runs, teams and answers."""

from datetime import timedelta

import factory
from django.utils import timezone

from assessments import selectors
from assessments.models import (
    Answer,
    AssessmentRun,
    CountryAnswer,
    CountryAssessment,
    Dimension,
    IndividualAssessment,
    Instrument,
    ScaleLevel,
    Statement,
    Status,
)
from sessions_app.models import PreparationTask

from .factories import CountryFactory, ParticipantFactory, TaskFactory

LEVELS = ["Not in place", "Early steps", "Partly in place", "Largely in place", "Fully in place and sustained"]


class InstrumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Instrument

    key = factory.Sequence(lambda n: f"test-instrument-{n}")
    version = 1
    name = "Test capability assessment"
    adapted_from = "Adapted from the UN DESA Digital Government Capability Assessment framework."


def build_instrument(dimensions=(("Leadership", 3), ("Strategy", 2), ("Legal", 2)), **fields) -> Instrument:
    """An instrument with the given (dimension name, number of statements) and the usual 1–5 scale."""
    instrument = InstrumentFactory(**fields)
    ScaleLevel.objects.bulk_create(
        ScaleLevel(instrument=instrument, value=value, label=label) for value, label in enumerate(LEVELS, start=1)
    )
    for order, (name, count) in enumerate(dimensions, start=1):
        dimension = Dimension.objects.create(instrument=instrument, order=order, name=name)
        Statement.objects.bulk_create(
            Statement(dimension=dimension, order=n, text=f"{name} statement number {n} is true.")
            for n in range(1, count + 1)
        )
    return instrument


def build_run(workshop, instrument=None) -> AssessmentRun:
    return AssessmentRun.objects.create(workshop=workshop, instrument=instrument or build_instrument())


def add_assessment_task(workshop, *, due_session=2, days_before=4) -> PreparationTask:
    session = workshop.sessions.get(number=due_session)
    return TaskFactory(
        session=session,
        title="Complete the DTCA",
        kind=PreparationTask.Kind.ASSESSMENT,
        due_session=session,
        due_days_before=days_before,
    )


def team(cohort, country=None, size=2):
    country = country or CountryFactory()
    return [ParticipantFactory(cohort=cohort, country=country) for _ in range(size)]


def ratings_for(structure, values):
    """Statement id → (score, don't know) from a list of values in questionnaire order: 1–5, "dk" or None."""
    ratings = {}
    for statement, value in zip(structure.statements, values, strict=False):
        if value is None:
            continue
        ratings[statement.pk] = (None, True) if value == "dk" else (value, False)
    return ratings


def answer(run, participant, values, *, submit=False, structure=None, submitted_at=None) -> IndividualAssessment:
    """Give a participant's answers in questionnaire order directly (bypassing the pages), optionally submitted."""
    structure = structure or selectors.instrument_structure(run.instrument)
    assessment, _ = IndividualAssessment.objects.get_or_create(run=run, participant=participant)
    Answer.objects.bulk_create(
        Answer(assessment=assessment, statement_id=pk, score=score, dont_know=dont_know)
        for pk, (score, dont_know) in ratings_for(structure, values).items()
    )
    if submit:
        assessment.status = Status.SUBMITTED
        assessment.submitted_at = submitted_at or timezone.now() - timedelta(days=1)
        assessment.save()
    return assessment


def agree(run, cohort, country, values, *, submit=True, structure=None) -> CountryAssessment:
    structure = structure or selectors.instrument_structure(run.instrument)
    country_assessment = CountryAssessment.objects.create(run=run, cohort=cohort, country=country)
    CountryAnswer.objects.bulk_create(
        CountryAnswer(country_assessment=country_assessment, statement_id=pk, score=score, dont_know=dont_know)
        for pk, (score, dont_know) in ratings_for(structure, values).items()
    )
    if submit:
        country_assessment.status = Status.SUBMITTED
        country_assessment.submitted_at = timezone.now()
        country_assessment.save()
    return country_assessment


def form_data(structure, statements, values) -> dict:
    """POST data of an answer page: each statement's value, confidence and note fields."""
    data = {}
    for statement, value in zip(statements, values, strict=True):
        prefix = f"s{statement.pk}"
        data[f"{prefix}-value"] = "" if value is None else str(value)
        data[f"{prefix}-confidence"] = ""
        data[f"{prefix}-note"] = ""
    return data
