"""Steps of the worker-killed-mid-send test, each run in its own process against a shared SQLite file.

`python -m tests.reminder_fault_scenario setup|send|dispatch|report`; the environment names the database,
the Redis broker, the SMTP server and the Celery queue (FAULT_QUEUE). Not collected by pytest.
"""

import json
import os
import sys

import django


def main(step: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workshop_portal.settings")
    django.setup()
    from django.core.management import call_command

    from reminders import services
    from reminders.models import Delivery
    from workshop_portal.celery import app

    app.conf.task_default_queue = os.environ["FAULT_QUEUE"]
    app.conf.task_always_eager = False
    if step == "setup":
        from django.apps import apps
        from django.conf import settings

        from tests.factories import ParticipantFactory, build_programme

        # Tables straight from the models, as the suite's own databases (tests/conftest.py): running every
        # migration on SQLite took 15 s of CPU, and test_migrations.py checks they give the same schema.
        settings.MIGRATION_MODULES = {config.label: None for config in apps.get_app_configs()}
        call_command("migrate", run_syncdb=True, verbosity=0)
        workshop = build_programme(sessions=1, groups=("Group A",))
        cohort = workshop.cohorts.get()
        for _ in range(int(os.environ["FAULT_PARTICIPANTS"])):
            ParticipantFactory(cohort=cohort)
    elif step == "send":
        from sessions_app.models import Cohort, PreparationTask

        cohort = Cohort.objects.get()
        task = PreparationTask.objects.order_by("pk").first()
        services.create_one_off_message(cohort=cohort, task=task, subject="Read", body="Chapter 1.", sent_by=None)
    elif step == "dispatch":
        services.dispatch_due_reminders()
    elif step == "report":
        rows = Delivery.objects.order_by("pk").values("pk", "status", "attempts", "participant__user__email")
        print(json.dumps([{**row, "message_id": services.message_id_for(Delivery(pk=row["pk"]))} for row in rows]))


if __name__ == "__main__":
    main(sys.argv[1])
