"""The names the admin gives to records (lists, selects, breadcrumbs) read in the organizer's language (#16)."""

from datetime import UTC, datetime

import pytest
from django.utils import translation

from assessments.models import IndividualAssessment, Status
from participants.models import TeamMembership
from preparation.models import Submission, SubmissionVersion

from .factories import (
    CohortFactory,
    OccurrenceFactory,
    ParticipantFactory,
    SessionFactory,
    TaskFactory,
    UserFactory,
    WorkshopFactory,
)
from .factories_preparation import TeamFactory

pytestmark = pytest.mark.django_db


def records():
    workshop = WorkshopFactory(reference_timezone="UTC", reference_timezone_label="UTC")
    session = SessionFactory(workshop=workshop, number=2, title="Digital strategy")
    cohort = CohortFactory(workshop=workshop, name="Group A")
    occurrence = OccurrenceFactory(session=session, cohort=cohort, starts_at=datetime(2021, 3, 2, 10, 0, tzinfo=UTC))
    person = ParticipantFactory(user=UserFactory(first_name="Ana", last_name="Lima"), cohort=cohort)
    assessment = IndividualAssessment(participant=person, status=Status.SUBMITTED)
    task = TaskFactory(session=session, title="Slides")
    submission = Submission.objects.create(task=task, cohort=cohort, participant=person)
    version = SubmissionVersion(submission=submission, number=3)
    membership = TeamMembership(participant=person, team=TeamFactory(cohort=cohort, name="Lab 1"))
    return [session, occurrence, assessment, version, membership]


EXPECTED = {
    "en": [
        "Session 2: Digital strategy",
        "Session 2 · Group A · 2 Mar 2021, 10:00 UTC",
        "Submitted DTCA of Ana Lima",
        "S2 · Slides · Ana Lima · version 3",
        "Ana Lima in Lab 1",
    ],
    "fr": [
        "Séance 2 : Digital strategy",
        "Séance 2 · Group A · 2 mars 2021 à 10:00 UTC",
        "DTCA de Ana Lima (envoyée)",
        "S2 · Slides · Ana Lima · version 3",
        "Ana Lima dans Lab 1",
    ],
    "es": [
        "Sesión 2: Digital strategy",
        "Sesión 2 · Group A · 2 marzo 2021, 10:00 UTC",
        "DTCA de Ana Lima (enviada)",
        "S2 · Slides · Ana Lima · versión 3",
        "Ana Lima en Lab 1",
    ],
}


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_record_names_follow_the_active_language(language):
    with translation.override(language):
        assert [str(record) for record in records()] == EXPECTED[language]


def test_no_english_word_is_left_in_french():
    with translation.override("fr"):
        names = " ".join(str(record) for record in records())
    for word in ("Session", "Submitted", " of ", " in ", "unscheduled"):
        assert word not in names


def test_a_draft_reads_as_a_draft_without_lowering_a_label():
    assessment = records()[2]
    assessment.status = Status.DRAFT
    with translation.override("fr"):
        assert str(assessment) == "DTCA de Ana Lima (brouillon)"
    assert str(assessment) == "Draft DTCA of Ana Lima"
