"""Beat's dispatcher task through the real Redis broker and a real Celery worker; the mail lands in the outbox."""

import os
import time
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail

from reminders.models import Delivery
from reminders.tasks import dispatch_reminders
from sessions_app.models import SessionOccurrence

from .factories import ParticipantFactory, build_programme
from .factories_reminders import ReminderRuleFactory

pytestmark = pytest.mark.integration


@pytest.mark.django_db(transaction=True)
def test_dispatch_through_redis_and_a_worker_sends_the_mail(settings, time_machine):
    redis_url = os.environ.get("REDIS_URL")
    if not redis_url:
        pytest.skip("REDIS_URL is not set; .ci/run sets it so CI runs this test against the real Redis.")
    from celery.contrib.testing.worker import start_worker

    from workshop_portal.celery import app

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    workshop = build_programme(sessions=1, groups=("Group A",))
    cohort = workshop.cohorts.get()
    participant = ParticipantFactory(cohort=cohort)
    participant.joined_at = datetime(2020, 1, 1, tzinfo=UTC)
    participant.save()
    ReminderRuleFactory(workshop=workshop)
    occurrence = SessionOccurrence.objects.get(cohort=cohort)
    time_machine.move_to(occurrence.starts_at - timedelta(hours=23), tick=True)

    # A queue of our own, so that messages left in Redis by anyone else are never consumed here.
    queue = f"test-{uuid.uuid4().hex}"
    previous = (app.conf.broker_url, app.conf.task_default_queue, app.conf.task_always_eager)
    app.conf.broker_url = redis_url
    app.conf.task_default_queue = queue
    app.conf.task_always_eager = False
    mail.outbox = []
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, queues=[queue], shutdown_timeout=10):
            dispatch_reminders.delay()
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline and not mail.outbox:
                time.sleep(0.2)
    finally:
        app.conf.broker_url, app.conf.task_default_queue, app.conf.task_always_eager = previous
    assert [m.to for m in mail.outbox] == [[participant.user.email]]
    assert Delivery.objects.get().status == Delivery.Status.SENT
