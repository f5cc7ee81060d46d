"""Benchmark of evaluation reports and downloads at 1,000 / 10,000 / 100,000 responses.

    DEBUG=1 .venv/bin/python bench/evaluations_report.py                    # a throw-away SQLite database
    DEBUG=1 .venv/bin/python bench/evaluations_report.py --database postgres://postgres@127.0.0.1:5432/bench

With --database the script migrates that database, adds its own workshop and removes it at the end (unless
--keep). For each size it builds one anonymous session form holding that many responses (in one database that
keeps them all, so the last round runs with 111,000 responses stored), then measures:

* the report page of a small form of 40 responses — queries and time, at each database size;
* the report page, XLSX, CSV and PDF of the big form — time, queries, size and peak Python memory (tracemalloc).

Time is measured in a run without tracemalloc (which slows Python down; the small form's requests: best of three);
memory in one more run.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
import tracemalloc
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", help="Database URL to use instead of a throw-away SQLite file.")
    parser.add_argument("--sizes", default="1000,10000,100000", help="Comma-separated numbers of responses.")
    parser.add_argument(
        "--pdf-max", type=int, default=10_000, help="Skip the PDF above this many responses (it holds every comment)."
    )
    parser.add_argument("--keep", action="store_true", help="Keep the benchmark's data in --database.")
    return parser.parse_args()


def setup_django(args, scratch: Path):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workshop_portal.settings")
    os.environ["DATABASE_URL"] = args.database or f"sqlite:///{scratch / 'bench.sqlite3'}"
    os.environ.setdefault("VAR_DIR", str(scratch / "var"))
    os.environ.setdefault("CONN_MAX_AGE", "0")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    # Query logging (DEBUG) would itself use memory that grows with the work; measure the code, not the log.
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["testserver"]


def build_workshop():
    from django.contrib.auth import get_user_model

    from sessions_app.models import Workshop

    stamp = f"{time.time():.0f}"
    workshop = Workshop.objects.create(slug=f"bench-evaluations-{stamp}", title="Evaluation benchmark")
    user = get_user_model().objects.create_user(email=f"bench-{stamp}@example.org", is_staff=True)
    workshop.facilitators.add(user)
    return workshop, user


def add_form(workshop, name: str, number: int):
    from datetime import UTC, datetime

    from evaluations import services
    from sessions_app.models import Cohort, Session, SessionOccurrence

    cohort = Cohort.objects.create(workshop=workshop, name=name)
    session, _ = Session.objects.get_or_create(
        workshop=workshop, number=number, defaults={"title": f"Session {number}"}
    )
    start = datetime(2021, 2, 23, 14, tzinfo=UTC) + timedelta(days=number)
    occurrence = SessionOccurrence.objects.create(
        session=session, cohort=cohort, starts_at=start, ends_at=start + timedelta(minutes=135)
    )
    services.ensure_forms(workshop)
    return occurrence.evaluation_forms.get()


COMMENTS = [
    "More time in the breakout rooms.",
    "Please share the slides before the session.",
    "The case studies were the most useful part.",
    "=cmd|' /C calc'!A0",  # a formula someone typed: exports must keep it inert
    "Start on time.",
]


def fill(form, count: int, seed: int) -> float:
    """Store `count` anonymous responses in batches; returns seconds spent."""
    from evaluations.models import Answer, Response

    rng = random.Random(seed)
    questions = {q.key: q for q in form.questions.all()}
    ratings = [k for k, q in questions.items() if q.kind == "rating"]
    options = questions["useful-parts"].choices
    started = time.perf_counter()
    batch = 5000
    for offset in range(0, count, batch):
        responses, answers = [], []
        for _ in range(min(batch, count - offset)):
            response = Response(form=form)
            responses.append(response)
            for key in ratings:
                answers.append(
                    Answer(response=response, question=questions[key], rating=max(1, min(5, round(rng.gauss(4, 1)))))
                )
            for option in rng.sample(options, rng.randrange(3)):
                answers.append(Answer(response=response, question=questions["useful-parts"], choice=option))
            if rng.random() < 0.4:
                answers.append(Answer(response=response, question=questions["most-useful"], text=rng.choice(COMMENTS)))
            if rng.random() < 0.3:
                answers.append(Answer(response=response, question=questions["improve"], text=rng.choice(COMMENTS)))
        Response.objects.bulk_create(responses, batch_size=1000)
        Answer.objects.bulk_create(answers, batch_size=2000)
    analyze()
    return time.perf_counter() - started


def analyze():
    """Fresh planner statistics, as autovacuum keeps them on a live database (not timed for the queries)."""
    from django.db import connection

    tables = ["evaluations_response", "evaluations_answer", "evaluations_formquestion", "evaluations_evaluationform"]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"ANALYZE {', '.join(tables)}")
        elif connection.vendor == "sqlite":
            cursor.execute("ANALYZE")


def measure(action, repeat: int = 1):
    """(best seconds of `repeat` runs, queries, result), then the peak Python memory of one more run in MiB."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    connection.queries_log.clear()  # a full log (it keeps 9,000) would hide new queries
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        result = action()
    seconds = time.perf_counter() - started
    query_count = len(queries)  # now: the next request clears the log
    for _ in range(repeat - 1):
        started = time.perf_counter()
        action()
        seconds = min(seconds, time.perf_counter() - started)
    tracemalloc.start()
    action()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return seconds, query_count, result, peak / 2**20


def page(client, url):
    def run():
        response = client.get(url)
        assert response.status_code == 200, response.status_code
        # Counted chunk by chunk, as a browser would receive them: holding the whole body would be measured too.
        size = sum(len(chunk) for chunk in response.streaming_content) if response.streaming else len(response.content)
        response.close()
        return size

    return run


def main():
    args = parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    with tempfile.TemporaryDirectory(prefix="bench-evaluations-") as scratch:
        setup_django(args, Path(scratch))
        from django.db import connection
        from django.test import Client
        from django.urls import reverse

        from evaluations.models import Answer, Response

        workshop, user = build_workshop()
        client = Client()
        client.force_login(user)
        small = add_form(workshop, "Small group", 1)
        fill(small, 40, seed=1)
        print(f"Database: {connection.vendor} · Python {sys.version.split()[0]}")
        print()
        print("| responses in the form | stored | build s | what | seconds | queries | size KiB | peak MiB |")
        print("| ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: |")
        try:
            for index, size in enumerate(sizes, start=2):
                form = add_form(workshop, f"Group of {size}", index)
                build = fill(form, size, seed=size)
                stored = Response.objects.count()
                targets = [
                    ("report page, form of 40", reverse("evaluations:report", args=[small.pk])),
                    ("XLSX, form of 40", reverse("evaluations:report_xlsx", args=[small.pk])),
                    ("report page", reverse("evaluations:report", args=[form.pk])),
                    ("XLSX", reverse("evaluations:report_xlsx", args=[form.pk])),
                    ("CSV", reverse("evaluations:report_csv", args=[form.pk])),
                ]
                if size <= args.pdf_max:
                    targets.append(("PDF", reverse("evaluations:report_pdf", args=[form.pk])))
                for label, url in targets:
                    # Fast requests are timed three times (best kept), so a busy machine blurs them less.
                    repeat = 3 if "form of 40" in label else 1
                    seconds, queries, length, peak = measure(page(client, url), repeat)
                    print(
                        f"| {size:,} | {stored:,} | {build:.1f} | {label} | {seconds:.2f} | {queries} | "
                        f"{length / 1024:,.0f} | {peak:.1f} |",
                        flush=True,
                    )
        finally:
            if args.database and not args.keep:
                Answer.objects.filter(question__form__cohort__workshop=workshop).delete()
                Response.objects.filter(form__cohort__workshop=workshop).delete()
                workshop.delete()
                user.delete()


if __name__ == "__main__":
    main()
