"""Two dispatchers at once, each in its own thread and connection: each delivery is created and handed over once.

The test commits (its threads cannot see an uncommitted transaction), so it lives apart from the tests that roll
back: a file holds one kind or the other (see tests/shared_demo.py).
"""

import threading
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection

from reminders.models import Delivery
from reminders.services import dispatch_due_reminders
from sessions_app.models import SessionOccurrence

from .factories import ParticipantFactory, build_programme
from .factories_reminders import ReminderRuleFactory

LONG_AGO = datetime(2020, 1, 1, tzinfo=UTC)


def first_occurrence(cohort):
    return SessionOccurrence.objects.filter(cohort=cohort).order_by("starts_at").first()


@pytest.mark.django_db(transaction=True)
def test_two_dispatchers_at_once_create_each_delivery_once(time_machine):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers; the concurrent case needs PostgreSQL (CI runs it).")
    workshop = build_programme(sessions=1, groups=("Group A",))
    cohort = workshop.cohorts.get()
    for _ in range(30):
        participant = ParticipantFactory(cohort=cohort)
        participant.joined_at = LONG_AGO
        participant.save()
    ReminderRuleFactory(workshop=workshop)
    time_machine.move_to(first_occurrence(cohort).starts_at - timedelta(hours=23))
    barrier = threading.Barrier(2)
    results, errors = [], []

    def run():
        try:
            barrier.wait()
            results.append(dispatch_due_reminders().enqueued)
        except Exception as exc:  # surfaced below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert Delivery.objects.count() == 30
    assert Delivery.objects.values("participant").distinct().count() == 30
    # Each delivery is handed to the worker by exactly one of the two dispatchers.
    enqueued = [pk for ids in results for pk in ids]
    assert sorted(enqueued) == sorted(Delivery.objects.values_list("pk", flat=True))
