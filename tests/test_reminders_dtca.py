"""DTCA reminders: 7 days and 1 day before its due moment, to those who have not submitted."""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from assessments import selectors as dtca_selectors
from assessments import services as dtca_services
from reminders.models import Delivery
from reminders.services import dispatch_due_reminders, install_default_rules, send_delivery
from sessions_app.models import SessionOccurrence

from .factories import CountryFactory, ParticipantFactory, build_programme
from .factories_assessments import add_assessment_task, answer, build_run

LONG_AGO = datetime(2020, 1, 1, tzinfo=UTC)


@pytest.fixture
def setting(db):
    workshop = build_programme(sessions=2, tasks_per_session=0, groups=("Group A",))
    cohort = workshop.cohorts.get()
    people = ParticipantFactory.create_batch(3, cohort=cohort, country=CountryFactory())
    cohort.participants.update(joined_at=LONG_AGO)
    task = add_assessment_task(workshop)  # due 4 days before Session 2
    run = build_run(workshop)
    install_default_rules(workshop)
    session_two = SessionOccurrence.objects.get(cohort=cohort, session__number=2)
    return {
        "workshop": workshop,
        "people": people,
        "task": task,
        "run": run,
        "due": session_two.starts_at - timedelta(days=4),
    }


def test_dtca_reminders_go_seven_days_and_one_day_before_to_those_who_have_not_submitted(
    setting, time_machine, mailoutbox, django_capture_on_commit_callbacks
):
    submitted, *others = setting["people"]
    structure = dtca_selectors.instrument_structure(setting["run"].instrument)
    dtca_services.submit_individual(answer(setting["run"], submitted, [4] * structure.statement_count), structure)
    for days in (7, 1):
        time_machine.move_to(setting["due"] - timedelta(days=days) + timedelta(minutes=3))
        with django_capture_on_commit_callbacks(execute=True):
            dispatch_due_reminders()
    dtca = Delivery.objects.filter(rule__kind="dtca_due")
    assert sorted(dtca.values_list("participant", flat=True)) == sorted([p.pk for p in others] * 2)
    mails = [m for m in mailoutbox if "Capability Assessment" in m.subject]
    assert len(mails) == 4
    assert f"http://testserver{reverse('dtca:home')}" in mails[0].body
    assert "before Session 2" in mails[0].body


def test_dtca_submitted_between_dispatch_and_send_is_skipped(
    setting, time_machine, mailoutbox, django_capture_on_commit_callbacks
):
    person = setting["people"][0]
    time_machine.move_to(setting["due"] - timedelta(days=1) + timedelta(minutes=3))
    with django_capture_on_commit_callbacks(execute=False):
        dispatch_due_reminders()
    structure = dtca_selectors.instrument_structure(setting["run"].instrument)
    dtca_services.submit_individual(answer(setting["run"], person, [2] * structure.statement_count), structure)
    delivery = Delivery.objects.get(participant=person, rule__kind="dtca_due")
    assert send_delivery(delivery.pk) == "skipped"
    assert not [m for m in mailoutbox if m.to == [person.user.email]]
