"""Benchmark of the workshop report: the demo workshop, then with 1,000 and 10,000 more evaluation responses.

    DEBUG=1 .venv/bin/python bench/workshop_report.py                 # a throw-away SQLite database
    DEBUG=1 .venv/bin/python bench/workshop_report.py --database postgres://postgres@127.0.0.1:5432/bench_report

The script migrates the database, loads the demo (2 groups of 20, five sessions, evaluations, DTCA, action
plans), and measures the report's figures, PDF, DOCX and XLSX: seconds (best of --repeat runs, no tracing),
queries, size and the peak Python memory of one more run (tracemalloc). It then spreads extra anonymous responses
over the demo's twelve evaluation forms and measures again: the time and memory should stay flat, because every
figure is aggregated by the database.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

COMMENTS = ["More time in the breakout rooms.", "Share the slides before.", "=cmd|' /C calc'!A0", "Start on time."]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", help="Database URL to use instead of a throw-away SQLite file.")
    parser.add_argument("--extra", default="1000,10000", help="Cumulative extra responses to add, comma-separated.")
    parser.add_argument("--repeat", type=int, default=2, help="Timed runs per measurement (the best is shown).")
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
    call_command("load_demo", "--force", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    settings.DEBUG = False


def add_responses(count: int, seed: int) -> float:
    """Spread ``count`` anonymous responses over the demo's forms (no completions: people beyond the roster)."""
    from evaluations.models import Answer, EvaluationForm, Response

    rng = random.Random(seed)
    forms = list(EvaluationForm.objects.prefetch_related("questions"))
    started = time.perf_counter()
    responses, answers = [], []
    for index in range(count):
        form = forms[index % len(forms)]
        response = Response(form=form)
        responses.append(response)
        for question in form.questions.all():
            if question.kind == "rating":
                answers.append(
                    Answer(response=response, question=question, rating=max(1, min(5, round(rng.gauss(4, 1)))))
                )
            elif question.kind == "single" and question.choices:
                answers.append(Answer(response=response, question=question, choice=rng.choice(question.choices)))
            elif question.kind == "multiple" and question.choices:
                for option in rng.sample(question.choices, rng.randrange(min(3, len(question.choices)) + 1)):
                    answers.append(Answer(response=response, question=question, choice=option))
            elif question.kind == "text" and rng.random() < 0.3:
                answers.append(Answer(response=response, question=question, text=rng.choice(COMMENTS)))
    Response.objects.bulk_create(responses, batch_size=1000)
    Answer.objects.bulk_create(answers, batch_size=2000)
    analyze()
    return time.perf_counter() - started


def analyze():
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE evaluations_response, evaluations_answer")
        elif connection.vendor == "sqlite":
            cursor.execute("ANALYZE")


def measure(action, repeat: int):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        result = action()
        seconds = time.perf_counter() - started
    for _ in range(repeat - 1):
        started = time.perf_counter()
        action()
        seconds = min(seconds, time.perf_counter() - started)
    tracemalloc.start()
    action()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return seconds, len(queries), result, peak / 2**20


def main():
    args = parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-report-") as scratch:
        started = time.perf_counter()
        setup_django(args, Path(scratch))
        from django.db import connection

        from evaluations.models import Response
        from reports import selectors, services
        from sessions_app.models import Workshop

        workshop = Workshop.objects.get(slug="caribbean-2021")
        print(
            f"Database: {connection.vendor} · Python {sys.version.split()[0]} · demo loaded in "
            f"{time.perf_counter() - started:.1f} s"
        )
        print()
        print("| responses stored | what | seconds | queries | size KiB | peak MiB |")
        print("| ---: | --- | ---: | ---: | ---: | ---: |")
        rounds = [0, *[int(n) for n in args.extra.split(",") if n.strip()]]
        added = 0
        for target in rounds:
            if target > added:
                add_responses(target - added, seed=target)
                added = target
            stored = Response.objects.count()
            jobs = [
                ("figures (selectors)", lambda: selectors.report_data(workshop, include_names=True)),
                ("PDF", lambda: services.produce(workshop, None, "pdf")),
                ("DOCX", lambda: services.produce(workshop, None, "docx")),
                ("XLSX", lambda: services.produce(workshop, None, "xlsx")),
            ]
            for name, job in jobs:
                seconds, queries, result, peak = measure(job, args.repeat)
                size = f"{len(result) / 1024:.0f}" if isinstance(result, bytes) else "—"
                print(f"| {stored:,} | {name} | {seconds:.2f} | {queries} | {size} | {peak:.1f} |", flush=True)


if __name__ == "__main__":
    main()
