"""Measure the reminder dispatcher with many participants.

    DEBUG=1 .venv/bin/python bench/reminders_dispatch.py [--participants 10000]

Runs in a throw-away test database (SQLite, or test_<name> on the server in DATABASE_URL).
Creates one workshop with one group of N participants and a "session tomorrow" rule whose moment
has come, then runs the dispatcher twice and reports time, queries and duplicates.
"""

import argparse
import os
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workshop_portal.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--participants", type=int, default=10_000)
    args = parser.parse_args()
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        run(args.participants)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def run(count):
    import time_machine

    from participants.models import Country, Participant, User
    from reminders import tasks
    from reminders.models import Delivery, ReminderRule
    from reminders.services import dispatch_due_reminders
    from sessions_app.models import Cohort, Session, SessionOccurrence, Workshop
    from workshop_portal.celery import app

    published = []
    # Measure the dispatcher, not the broker: count the messages instead of publishing them.
    tasks.send_delivery.delay = published.append
    app.conf.task_always_eager = False
    workshop = Workshop.objects.create(slug="bench", title="Bench")
    cohort = Cohort.objects.create(workshop=workshop, name="Group A", capacity=count)
    session = Session.objects.create(workshop=workshop, number=1, title="Session 1")
    start = datetime(2030, 3, 1, 14, tzinfo=UTC)
    SessionOccurrence.objects.create(
        session=session, cohort=cohort, starts_at=start, ends_at=start + timedelta(hours=2)
    )
    country = Country.objects.create(code="JM", name="Jamaica", timezone="America/Jamaica")
    users = User.objects.bulk_create(User(email=f"p{i}@bench.test", password="!") for i in range(count))
    Participant.objects.bulk_create(
        Participant(user=u, cohort=cohort, country=country, calendar_token=f"t{i}") for i, u in enumerate(users)
    )
    Participant.objects.update(joined_at=datetime(2029, 1, 1, tzinfo=UTC))
    ReminderRule.objects.create(
        workshop=workshop, name="Tomorrow", kind="session_before", offset_minutes=-1440, is_optional=False
    )
    with time_machine.travel(start - timedelta(hours=23), tick=True):
        for attempt in (1, 2):
            with CaptureQueriesContext(connection) as queries:
                began = time.perf_counter()
                result = dispatch_due_reminders()
                elapsed = time.perf_counter() - began
            print(
                f"run {attempt}: {count} participants, {result.created} new deliveries, "
                f"{len(result.enqueued)} enqueued, {len(queries)} queries, {elapsed:.2f} s, "
                f"{len(published)} send tasks so far"
            )
    duplicates = Delivery.objects.count() - Delivery.objects.values("participant").distinct().count()
    print(f"deliveries: {Delivery.objects.count()}, duplicates: {duplicates}, database: {connection.vendor}")


if __name__ == "__main__":
    main()
