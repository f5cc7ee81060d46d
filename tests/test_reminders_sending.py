"""Sending: retries with backoff for transient faults, then failed; one failure never stops the others."""

from datetime import UTC, datetime, timedelta

import pytest

from reminders import tasks
from reminders.models import Delivery
from reminders.services import dispatch_due_reminders, send_delivery
from sessions_app.models import SessionOccurrence

from . import mail_backends
from .factories import ParticipantFactory, build_programme
from .factories_reminders import ReminderRuleFactory

LONG_AGO = datetime(2020, 1, 1, tzinfo=UTC)


@pytest.fixture
def eager(_celery_eager):
    return _celery_eager


@pytest.fixture
def due_reminders(db, time_machine):
    workshop = build_programme(sessions=1, groups=("Group A",))
    cohort = workshop.cohorts.get()
    people = []
    for _ in range(3):
        participant = ParticipantFactory(cohort=cohort)
        participant.joined_at = LONG_AGO
        participant.save()
        people.append(participant)
    ReminderRuleFactory(workshop=workshop)
    occurrence = SessionOccurrence.objects.get(cohort=cohort)
    time_machine.move_to(occurrence.starts_at - timedelta(hours=23))
    return people


@pytest.fixture
def flaky(settings):
    settings.EMAIL_BACKEND = "tests.mail_backends.FlakyBackend"
    mail_backends.FAILING_ADDRESSES.clear()
    mail_backends.ATTEMPTS.clear()
    yield mail_backends
    mail_backends.FAILING_ADDRESSES.clear()


def test_failing_backend_retries_then_marks_failed_and_others_still_go_out(
    due_reminders, flaky, eager, django_capture_on_commit_callbacks, mailoutbox, monkeypatch
):
    monkeypatch.setattr(tasks, "backoff_seconds", lambda retries: 0)
    unlucky = due_reminders[0].user.email
    flaky.FAILING_ADDRESSES.add(unlucky)
    with django_capture_on_commit_callbacks(execute=True):
        dispatch_due_reminders()
    assert flaky.ATTEMPTS.count(unlucky) == tasks.MAX_RETRIES + 1
    failed = Delivery.objects.get(participant=due_reminders[0])
    assert failed.status == Delivery.Status.FAILED
    assert "SMTPServerDisconnected" in failed.last_error
    assert failed.attempts == tasks.MAX_RETRIES + 1
    assert Delivery.objects.filter(status=Delivery.Status.SENT).count() == 2
    assert sorted(m.to[0] for m in mailoutbox) == sorted(p.user.email for p in due_reminders[1:])


def test_transient_failure_then_success_sends_once(
    due_reminders, flaky, eager, monkeypatch, mailoutbox, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(tasks, "backoff_seconds", lambda retries: 0)
    person = due_reminders[0].user.email
    flaky.FAILING_ADDRESSES.add(person)
    original = flaky.FlakyBackend.send_messages

    def flaky_once(self, messages):
        # The server comes back after the first failed attempt.
        if flaky.ATTEMPTS.count(person) == 1:
            flaky.FAILING_ADDRESSES.discard(person)
        return original(self, messages)

    monkeypatch.setattr(flaky.FlakyBackend, "send_messages", flaky_once)
    with django_capture_on_commit_callbacks(execute=True):
        dispatch_due_reminders()
    delivery = Delivery.objects.get(participant=due_reminders[0])
    assert delivery.status == Delivery.Status.SENT
    assert [m.to[0] for m in mailoutbox].count(person) == 1


def test_backoff_grows_and_is_capped():
    delays = [tasks.backoff_seconds(n) for n in range(8)]
    assert delays == sorted(delays)
    assert delays[0] == 30 and delays[-1] == 600


def test_a_delivery_already_sent_is_not_sent_again(due_reminders, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        dispatch_due_reminders()
    delivery = Delivery.objects.first()
    assert send_delivery(delivery.pk) == "sent"
    assert send_delivery(delivery.pk) == "not pending"
    assert len(mailoutbox) == 1


def test_deactivated_participant_is_skipped_at_send_time(due_reminders, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        dispatch_due_reminders()
    participant = due_reminders[0]
    participant.is_active = False
    participant.save()
    delivery = Delivery.objects.get(participant=participant)
    assert send_delivery(delivery.pk) == "skipped"
    delivery.refresh_from_db()
    assert delivery.skip_reason == "participant deactivated"
    assert mailoutbox == []
