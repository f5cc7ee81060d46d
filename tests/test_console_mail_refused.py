"""In production a reminder is never marked sent through a backend that only prints or drops the mail."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from reminders.models import Delivery
from reminders.services import dispatch_due_reminders, send_delivery
from sessions_app.models import SessionOccurrence

from .factories import ParticipantFactory, build_programme
from .factories_reminders import ReminderRuleFactory

CONSOLE = "django.core.mail.backends.console.EmailBackend"


@pytest.fixture
def pending_delivery(db, time_machine, django_capture_on_commit_callbacks):
    workshop = build_programme(sessions=1, groups=("Group A",))
    participant = ParticipantFactory(cohort=workshop.cohorts.get())
    participant.joined_at = datetime(2020, 1, 1, tzinfo=UTC)
    participant.save()
    ReminderRuleFactory(workshop=workshop)
    time_machine.move_to(SessionOccurrence.objects.get().starts_at - timedelta(hours=23))
    with django_capture_on_commit_callbacks(execute=False):
        dispatch_due_reminders()
    return Delivery.objects.get()


@pytest.mark.parametrize("backend", [CONSOLE, "django.core.mail.backends.dummy.EmailBackend"])
def test_with_debug_off_a_console_backend_delivery_is_refused_with_a_clear_error(
    pending_delivery, settings, backend, capsys
):
    settings.DEBUG = False
    settings.ALLOW_CONSOLE_EMAIL = False
    settings.EMAIL_BACKEND = backend
    assert send_delivery(pending_delivery.pk) == "refused"
    pending_delivery.refresh_from_db()
    assert pending_delivery.status == Delivery.Status.FAILED
    assert pending_delivery.sent_at is None
    assert "nobody would receive this" in pending_delivery.last_error
    assert "EMAIL_URL" in pending_delivery.last_error
    assert "Subject:" not in capsys.readouterr().out


def test_the_operator_may_allow_the_console_backend_explicitly(pending_delivery, settings, capsys):
    settings.DEBUG = False
    settings.ALLOW_CONSOLE_EMAIL = True
    settings.EMAIL_BACKEND = CONSOLE
    assert send_delivery(pending_delivery.pk) == "sent"
    assert "Subject:" in capsys.readouterr().out


def test_a_real_backend_is_not_refused(pending_delivery, settings, mailoutbox):
    settings.DEBUG = False
    settings.ALLOW_CONSOLE_EMAIL = False
    assert send_delivery(pending_delivery.pk) == "sent"
    assert len(mailoutbox) == 1


def test_the_deployment_check_warns_about_a_console_backend(db, settings):
    settings.DEBUG = False
    settings.ALLOW_CONSOLE_EMAIL = False
    settings.EMAIL_BACKEND = CONSOLE
    with pytest.raises(SystemCheckError, match="operations.W001"):
        call_command("check", "--deploy", "--fail-level", "WARNING", "--tag", "operations")
