from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from sessions_app.models import AgendaItem, SessionOccurrence

from .factories import AgendaItemFactory, OccurrenceFactory, build_programme


def test_occurrence_ending_before_it_starts_is_refused_by_the_database(db):
    occurrence = OccurrenceFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        SessionOccurrence.objects.filter(pk=occurrence.pk).update(ends_at=occurrence.starts_at - timedelta(hours=1))


def test_one_occurrence_per_session_and_group(db):
    occurrence = OccurrenceFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        SessionOccurrence.objects.create(
            session=occurrence.session,
            cohort=occurrence.cohort,
            starts_at=occurrence.starts_at + timedelta(days=1),
            ends_at=occurrence.ends_at + timedelta(days=1),
        )


def test_agenda_item_must_end_within_its_session(db):
    workshop = build_programme(sessions=1, items_per_session=0)
    session = workshop.sessions.get()
    item = AgendaItem(session=session, offset_minutes=130, duration_minutes=10, title="Too late")
    with pytest.raises(ValidationError, match="after the session ends"):
        item.full_clean()


def test_agenda_items_must_not_overlap(db):
    workshop = build_programme(sessions=1, items_per_session=0)
    session = workshop.sessions.get()
    AgendaItemFactory(session=session, offset_minutes=0, duration_minutes=30, title="First")
    item = AgendaItem(session=session, offset_minutes=20, duration_minutes=10, title="Second")
    with pytest.raises(ValidationError, match="Overlaps “First”"):
        item.full_clean()


def test_session_of_a_group_cannot_start_before_the_previous_one_ends(db):
    workshop = build_programme(sessions=2, items_per_session=0)
    second = SessionOccurrence.objects.get(session__number=2, cohort__name="Group A")
    first = SessionOccurrence.objects.get(session__number=1, cohort__name="Group A")
    second.starts_at = first.starts_at + timedelta(minutes=30)
    second.ends_at = second.starts_at + timedelta(minutes=135)
    with pytest.raises(ValidationError, match="Session 1 of this group ends after this one starts"):
        second.full_clean()
    assert workshop


def test_due_date_of_a_task_follows_the_group(db):
    workshop = build_programme(sessions=2, items_per_session=0, tasks_per_session=1)
    task = workshop.sessions.get(number=2).tasks.get()
    task.due_days_before = 4
    task.save()
    for cohort in workshop.cohorts.all():
        occurrences = {o.session.number: o for o in cohort.occurrences.select_related("session")}
        assert task.due_at(occurrences) == occurrences[2].starts_at - timedelta(days=4)
    assert task.due_rule_text() == "4 days before Session 2 starts"
