"""How long the worker takes to import a roster of the allowed maximum (roster.MAX_ROWS) — not a test.

    DATABASE_URL=postgres://… python -m bench.roster_import_timing [--rows 2000]

Makes a throw-away workshop with one group large enough, 20 countries, and times
``services.run_roster_import`` (the check again, then every row in one transaction), counting its queries.
The workshop and the people it enrolled are deleted afterwards.
"""

import argparse
import os
import time


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=2000)
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workshop_portal.settings")
    import django

    django.setup()
    from django.db import connection

    from participants import services
    from participants.models import Country, RosterImport, User
    from participants.roster import rows_from_dicts
    from sessions_app.models import Cohort, Workshop

    stamp = int(time.time())
    workshop = Workshop.objects.create(title=f"Timing {stamp}", slug=f"timing-{stamp}")
    Cohort.objects.create(workshop=workshop, name="Group A", capacity=args.rows, seats_per_country=args.rows)
    countries = [
        Country.objects.get_or_create(code=f"Q{chr(65 + n)}", defaults={"name": f"Timing country {n}"})[0]
        for n in range(20)
    ]
    rows = rows_from_dicts(
        [
            {
                "email": f"timing-{stamp}-{n}@example.org",
                "first_name": f"First{n}",
                "last_name": f"Last{n}",
                "country": countries[n % 20].code,
                "group": "Group A",
                "institution": "Ministry",
                "position": "Officer",
            }
            for n in range(args.rows)
        ]
    )
    job = services.queue_roster_import(workshop, rows, file_name="timing.csv", user=None, send_invitations=False)
    try:
        queries = []

        def count(execute, sql, params, many, context):
            queries.append(1)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            started = time.perf_counter()
            services.run_roster_import(job.pk)
            elapsed = time.perf_counter() - started
        job.refresh_from_db()
        print(
            f"{connection.vendor}: {args.rows} rows → {job.status}, {job.imported_count} imported in {elapsed:.1f} s, "
            f"{len(queries)} queries ({len(queries) / max(1, args.rows):.1f} per row)"
        )
    finally:
        RosterImport.objects.filter(pk=job.pk).delete()
        users = User.objects.filter(email__startswith=f"timing-{stamp}-")
        from participants.models import Participant

        Participant.objects.filter(cohort__workshop=workshop).delete()
        users.delete()
        workshop.delete()
        Country.objects.filter(name__startswith="Timing country").delete()


if __name__ == "__main__":
    main()
