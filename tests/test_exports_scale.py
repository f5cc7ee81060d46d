"""Exports of one workshop read that workshop's rows: the same queries, and no full scan of a big table, with
other workshops stored beside it."""

import random
from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bench import hundred_workshops

# Tables that hold a row per person (or per answer) of every workshop ever run.
BIG_TABLES = {
    "assessments_answer",
    "assessments_countryanswer",
    "assessments_individualassessment",
    "evaluations_answer",
    "evaluations_response",
    "evaluations_completion",
    "preparation_submission",
    "preparation_submissionversion",
    "reminders_delivery",
}


def _exports(workshop):
    cohort = workshop.cohorts.order_by("name").first()
    return {
        "DTCA CSV": reverse("dtca:export_csv", args=[workshop.pk]),
        "DTCA XLSX": reverse("dtca:export_xlsx", args=[workshop.pk]),
        "evaluations XLSX": reverse("evaluations:reports_xlsx", args=[workshop.pk]),
        "progress board CSV": reverse("preparation:progress_board_csv", args=[cohort.pk]),
        "action plans XLSX": reverse("action_plans:group_plans_xlsx", args=[cohort.pk]),
    }


def _run(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
    assert response.status_code == 200, url
    return [q["sql"] for q in queries], body


def _full_scans(sqls) -> set[str]:
    """Big tables SQLite reads from end to end (SCAN) rather than through an index (SEARCH)."""
    scanned = set()
    with connection.cursor() as cursor:
        for sql in sqls:
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            cursor.execute("EXPLAIN QUERY PLAN " + sql)
            for row in cursor.fetchall():
                detail = row[-1]
                if detail.startswith("SCAN "):
                    table = detail.split()[1]
                    if table in BIG_TABLES:
                        scanned.add(table)
    return scanned


@pytest.mark.skipif(connection.vendor != "sqlite", reason="reads SQLite's query plans")
def test_exports_of_one_workshop_do_not_read_the_others(organizer_client, demo):
    for url in _exports(demo).values():
        _run(organizer_client, url)  # shared caches (the DTCA instrument's structure) filled, as in daily use
    before = {label: _run(organizer_client, url) for label, url in _exports(demo).items()}
    args = hundred_workshops.parse_args(["--workshops", "3", "--per-group", "3", "--quiet"])
    hundred_workshops.add_ended_workshops(args, datetime.now(UTC).date(), random.Random(1))
    for label, url in _exports(demo).items():
        sqls, body = _run(organizer_client, url)
        assert len(sqls) == len(before[label][0]), label
        assert not _full_scans(sqls), f"{label} scans {_full_scans(sqls)}"
        if label.endswith("CSV"):
            assert body == before[label][1], label  # the same file: nothing of the other workshops in it
