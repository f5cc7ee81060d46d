"""A hundred workshops on one database: does anything a person opens get slower than with one?

    DEBUG=1 .venv/bin/python bench/scale_report.py \\
        --one postgres://postgres@127.0.0.1:5432/wt_scale_data_one \\
        --many postgres://postgres@127.0.0.1:5432/wt_scale_data

``--one`` holds the demo workshop alone (``migrate`` + ``load_demo --shift-to <two weeks ago>``), ``--many`` the same
plus 99 ended workshops (``bench/hundred_workshops.py``). Each database is measured in a process of its own, through
the test client with the demo accounts, --rounds times alternately (the best time of the rounds is kept), and the
report compares them:

* every participant and facilitator page: queries and median time (of --repeat runs after a warm-up), and the
  ratio of the times (goal: the same queries, at most 1.5×);
* every admin changelist, plain and with a search (goal: under 1 s), with its queries;
* the reminder dispatcher at this moment (goal: its cost follows what is due): the rules it reads, its queries, time
  and the rows PostgreSQL examined; beside it, for contrast, what reading every rule's targets costs;
* the exports of the current workshop: queries, time and rows examined, which must not grow with the other
  workshops (the rows examined come from EXPLAIN ANALYZE of each query, summed over the plan's scans).

Nothing is changed in either database: the dispatcher runs in a transaction that is rolled back.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PARTICIPANT = "participant@demo.test"
FACILITATOR = "facilitator@demo.test"
ORGANIZER = "organizer@demo.test"


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--one", help="Database URL holding the demo workshop alone.")
    parser.add_argument("--many", help="Database URL holding it among a hundred workshops.")
    parser.add_argument("--repeat", type=int, default=5, help="Timed runs per page (the median is kept).")
    parser.add_argument(
        "--rounds",
        type=int,
        default=2,
        help="Measure the two databases this many times, alternately, and keep each figure's best round: on a "
        "machine shared with others, the load of the moment otherwise decides the ratios.",
    )
    parser.add_argument("--measure", help=argparse.SUPPRESS)  # internal: measure this database, print JSON
    parser.add_argument("--only", default="pages,admin,dispatch,exports", help="What to measure (comma-separated).")
    return parser.parse_args(argv)


# --------------------------------------------------------------------------- measuring one database


def setup_django(url):
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workshop_portal.settings")
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("CONN_MAX_AGE", "600")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["testserver"]


def rows_examined(queries) -> int | None:
    """Rows PostgreSQL read to answer these SELECTs: per scan node, rows returned plus rows filtered out, per loop."""
    explained = explain(queries)
    return None if explained is None else explained[0]


def explain(queries) -> tuple[int, float] | None:
    """(rows examined, milliseconds the database spent) for these SELECTs, from EXPLAIN ANALYZE."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    rows, milliseconds = 0, 0.0
    with connection.cursor() as cursor:
        for query in queries:
            sql = query["sql"]
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql)
            plan = cursor.fetchone()[0]
            plan = json.loads(plan) if isinstance(plan, str) else plan
            rows += _scan_rows(plan[0]["Plan"])
            milliseconds += plan[0].get("Execution Time", 0.0)
    return rows, milliseconds


def _scan_rows(node) -> int:
    rows = 0
    if "Scan" in node.get("Node Type", ""):
        per_loop = node.get("Actual Rows", 0) + node.get("Rows Removed by Filter", 0)
        per_loop += node.get("Rows Removed by Index Recheck", 0)
        rows += int(per_loop * max(node.get("Actual Loops", 1), 1))
    for child in node.get("Plans", []):
        rows += _scan_rows(child)
    return rows


def timed(action, repeat):
    """(median seconds of `repeat` runs after one warm-up, queries of one more run, result of it)."""
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    action()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    reset_queries()
    with CaptureQueriesContext(connection) as queries:
        result = action()
    return statistics.median(times), list(queries), result


def client_for(email):
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client()
    client.force_login(get_user_model().objects.get(email=email))
    return client


def get(client, url):
    def run():
        response = client.get(url)
        size = sum(len(chunk) for chunk in response.streaming_content) if response.streaming else len(response.content)
        response.close()
        return response.status_code, size

    return run


def page_urls():
    from django.urls import reverse

    from participants.models import Participant
    from sessions_app.models import PreparationTask, SessionOccurrence

    me = Participant.objects.select_related("cohort__workshop", "country").get(user__email=PARTICIPANT)
    cohort, workshop = me.cohort, me.cohort.workshop
    occurrences = list(SessionOccurrence.objects.filter(cohort=cohort).order_by("starts_at"))
    held = [o for o in occurrences if o.ends_at.timestamp() < time.time()] or occurrences
    task = PreparationTask.objects.filter(session__workshop=workshop, kind="presentation").order_by("pk").first()
    participant = {
        "home": reverse("sessions:home"),
        "my schedule": reverse("sessions:schedule"),
        "session page": reverse("sessions:detail", args=[held[-1].pk]),
        "my preparation": reverse("preparation:mine"),
        "preparation task": reverse("preparation:task", args=[task.pk]),
        "DTCA home": reverse("dtca:home"),
        "DTCA country": reverse("dtca:country"),
        "evaluations": reverse("evaluations:list"),
        "action plan": reverse("action_plans:plan", args=[cohort.pk, me.country.code]),
    }
    facilitator = {
        "facilitate": reverse("sessions:facilitate"),
        "progress board": reverse("preparation:progress_board", args=[cohort.pk]),
        "DTCA group": reverse("dtca:facilitator", args=[cohort.pk]),
        "evaluation reports": reverse("evaluations:reports", args=[workshop.pk]),
        "action plans of the group": reverse("action_plans:group_plans", args=[cohort.pk]),
        "follow-up board": reverse("action_plans:followup_board", args=[workshop.pk]),
        "run sheet": reverse("live:runsheet", args=[held[-1].pk]),
        "attendance": reverse("attendance:attendance", args=[held[-1].pk]),
    }
    exports = {
        "DTCA CSV": reverse("dtca:export_csv", args=[workshop.pk]),
        "DTCA XLSX": reverse("dtca:export_xlsx", args=[workshop.pk]),
        "evaluations XLSX": reverse("evaluations:reports_xlsx", args=[workshop.pk]),
        "progress board CSV": reverse("preparation:progress_board_csv", args=[cohort.pk]),
        "action plans XLSX": reverse("action_plans:group_plans_xlsx", args=[cohort.pk]),
    }
    return participant, facilitator, exports


def measure_pages(repeat):
    participant, facilitator, _ = page_urls()
    results = {}
    for who, urls in ((PARTICIPANT, participant), (FACILITATOR, facilitator)):
        client = client_for(who)
        for label, url in urls.items():
            seconds, queries, (status, _) = timed(get(client, url), repeat)
            results[f"{'participant' if who == PARTICIPANT else 'facilitator'}: {label}"] = {
                "status": status,
                "seconds": seconds,
                "queries": len(queries),
            }
    return results


def measure_admin(repeat):
    from django.contrib import admin
    from django.urls import reverse

    client = client_for(ORGANIZER)
    results = {}
    for model, model_admin in admin.site._registry.items():
        name = f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"
        url = reverse(name)
        from django.db import connection

        rows = model.objects.count() if connection.vendor != "postgresql" else _estimate(model)
        variants = [("", url)]
        if model_admin.search_fields:
            variants.append(("search", url + "?q=smith"))
        for variant, address in variants:
            seconds, queries, (status, _) = timed(get(client, address), max(1, repeat // 2))
            examined, db_ms = explain(queries) or (None, None)
            results[f"{model._meta.label}{' · ' + variant if variant else ''}"] = {
                "status": status,
                "seconds": seconds,
                "queries": len(queries),
                "rows": rows,
                "rows examined": examined,
                "db ms": db_ms,
            }
    return results


def _estimate(model):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE relname = %s", [model._meta.db_table])
        row = cursor.fetchone()
    return max(int(row[0]) if row else 0, 0)


class Rollback(Exception):
    pass


def measure_dispatch(repeat):
    """The dispatcher now, and (for contrast) reading every active rule's targets as it did before."""
    from django.db import transaction
    from django.utils import timezone

    from reminders.models import ReminderRule
    from reminders.services import _dispatch_rule, dispatch_due_reminders, rules_that_may_be_due

    def dispatch():
        try:
            with transaction.atomic():
                result = dispatch_due_reminders()
                raise Rollback(result)
        except Rollback as done:
            return done.args[0].created

    def every_rule():
        now = timezone.now()
        try:
            with transaction.atomic():
                created = 0
                for rule in ReminderRule.objects.filter(is_active=True).select_related("workshop"):
                    created += _dispatch_rule(rule, now)
                raise Rollback(created)
        except Rollback as done:
            return done.args[0]

    results = {}
    for label, action in (("dispatcher", dispatch), ("every rule's targets (the old way)", every_rule)):
        seconds, queries, created = timed(action, max(1, repeat // 2))
        results[label] = {
            "seconds": seconds,
            "queries": len(queries),
            "rows examined": rows_examined(queries),
            "created": created,
        }
    results["dispatcher"]["rules read"] = len(list(rules_that_may_be_due(timezone.now())))
    results["dispatcher"]["active rules"] = ReminderRule.objects.filter(is_active=True).count()
    return results


def measure_exports(repeat):
    _, _, exports = page_urls()
    client = client_for(ORGANIZER)
    results = {}
    for label, url in exports.items():
        seconds, queries, (status, size) = timed(get(client, url), max(1, repeat // 2))
        results[label] = {
            "status": status,
            "seconds": seconds,
            "queries": len(queries),
            "rows examined": rows_examined(queries),
            "size": size,
        }
    return results


def measure(url, only, repeat):
    setup_django(url)
    from django.db import connection

    from participants.models import Participant
    from sessions_app.models import Workshop

    figures = {
        "database": {
            "vendor": connection.vendor,
            "workshops": Workshop.objects.count(),
            "participants": Participant.objects.count(),
        }
    }
    for part in only:
        figures[part] = {
            "pages": measure_pages,
            "admin": measure_admin,
            "dispatch": measure_dispatch,
            "exports": measure_exports,
        }[part](repeat)
    return figures


# --------------------------------------------------------------------------- comparing the two


def run_child(url, args):
    command = [sys.executable, __file__, "--measure", url, "--only", args.only, "--repeat", str(args.repeat)]
    output = subprocess.run(command, check=True, capture_output=True, text=True, cwd=ROOT).stdout
    return json.loads(output.strip().splitlines()[-1])


def ms(seconds):
    return f"{seconds * 1000:,.0f}"


def report(one, many):
    lines = []
    db_one, db_many = one["database"], many["database"]
    lines.append(
        f"Databases ({db_many['vendor']}): one = {db_one['workshops']} workshop, {db_one['participants']:,} "
        f"participants; many = {db_many['workshops']} workshops, {db_many['participants']:,} participants."
    )
    if "pages" in one:
        lines += ["", "| page | queries (one → many) | ms one | ms many | × |", "| --- | ---: | ---: | ---: | ---: |"]
        worst = 0.0
        for label, a in one["pages"].items():
            b = many["pages"][label]
            ratio = b["seconds"] / a["seconds"] if a["seconds"] else 0
            worst = max(worst, ratio)
            flag = "" if a["queries"] == b["queries"] else " ⚠"
            status = "" if a["status"] == b["status"] == 200 else f" (HTTP {a['status']}/{b['status']})"
            lines.append(
                f"| {label}{status} | {a['queries']} → {b['queries']}{flag} | {ms(a['seconds'])} | "
                f"{ms(b['seconds'])} | {ratio:.2f} |"
            )
        lines.append(f"\nWorst page ratio: {worst:.2f}× (goal ≤ 1.5×).")
    if "admin" in many:
        lines += [
            "",
            "| admin changelist | rows (many) | queries one → many | rows examined many | database ms many | "
            "ms one | ms many |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        slowest = max(many["admin"].values(), key=lambda r: r["seconds"])
        for label, b in sorted(many["admin"].items(), key=lambda item: -item[1]["seconds"]):
            a = one["admin"].get(label, b)
            status = "" if b["status"] == 200 else f" (HTTP {b['status']})"
            lines.append(
                f"| {label}{status} | {b['rows']:,} | {a['queries']} → {b['queries']} | {b['rows examined'] or 0:,} | "
                f"{b['db ms'] or 0:,.0f} | {ms(a['seconds'])} | {ms(b['seconds'])} |"
            )
        lines.append(f"\nSlowest changelist: {ms(slowest['seconds'])} ms (goal < 1,000 ms).")
    if "dispatch" in one:
        lines += [
            "",
            "| reminder dispatch | rules read (of active) | queries one → many | rows examined one → many | "
            "ms one | ms many |",
            "| --- | ---: | ---: | ---: | ---: | ---: |",
        ]
        for label, a in one["dispatch"].items():
            b = many["dispatch"][label]
            read = f"{a.get('rules read', '')} / {a.get('active rules', '')} → {b.get('rules read', '')} / "
            read += f"{b.get('active rules', '')}" if "rules read" in a else ""
            lines.append(
                f"| {label} | {read if 'rules read' in a else '—'} | {a['queries']} → {b['queries']} | "
                f"{a['rows examined']:,} → {b['rows examined']:,} | {ms(a['seconds'])} | {ms(b['seconds'])} |"
            )
    if "exports" in one:
        lines += [
            "",
            "| export of the current workshop | queries one → many | rows examined one → many | ms one | ms many |",
            "| --- | ---: | ---: | ---: | ---: |",
        ]
        for label, a in one["exports"].items():
            b = many["exports"][label]
            status = "" if a["status"] == b["status"] == 200 else f" (HTTP {a['status']}/{b['status']})"
            lines.append(
                f"| {label}{status} | {a['queries']} → {b['queries']} | {a['rows examined']:,} → "
                f"{b['rows examined']:,} | {ms(a['seconds'])} | {ms(b['seconds'])} |"
            )
    return "\n".join(lines)


def main(argv=None):
    args = parse_args(argv)
    only = [part.strip() for part in args.only.split(",") if part.strip()]
    if args.measure:
        print(json.dumps(measure(args.measure, only, args.repeat)))
        return
    if not (args.one and args.many):
        raise SystemExit("Give --one and --many (database URLs); see --help.")
    rounds = {"one": [], "many": []}
    for _ in range(max(1, args.rounds)):
        rounds["one"].append(run_child(args.one, args))
        rounds["many"].append(run_child(args.many, args))
    print(report(best(rounds["one"]), best(rounds["many"])))


def best(results: list[dict]) -> dict:
    """The first round's figures, with each time replaced by the shortest of all rounds."""
    merged = json.loads(json.dumps(results[0]))
    for section, entries in merged.items():
        for label, entry in entries.items():
            if isinstance(entry, dict) and "seconds" in entry:
                entry["seconds"] = min(result[section][label]["seconds"] for result in results)
    return merged


if __name__ == "__main__":
    main()
