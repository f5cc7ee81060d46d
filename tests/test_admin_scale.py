"""The admin's lists stay cheap with many workshops: constant queries, no full-table counts on the big tables."""

import random
from datetime import UTC, datetime

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bench import hundred_workshops

# Tables that grow with every participant of every workshop: their changelists must not count them in full.
GROWING = {
    "participants.user",
    "participants.participant",
    "assessments.individualassessment",
    "assessments.answer",
    "assessments.countryanswer",
    "evaluations.response",
    "evaluations.answer",
    "evaluations.completion",
    "preparation.submission",
    "reminders.delivery",
    "attendance.attendance",
    "live.pollvote",
}


def _changelists():
    for model, model_admin in admin.site._registry.items():
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        yield model._meta.label_lower, url
        if model_admin.search_fields:
            yield f"{model._meta.label_lower} (search)", url + "?q=smith"


def _queries(client) -> dict[str, int]:
    counts = {}
    for label, url in _changelists():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, label
        counts[label] = len(queries)
    return counts


def test_admin_changelists_load_and_their_query_counts_do_not_grow_with_workshops(organizer_client, demo):
    assert len(admin.site._registry) >= 10
    with_one = _queries(organizer_client)  # every changelist (and search) loads with the demo's data
    args = hundred_workshops.parse_args(["--workshops", "3", "--per-group", "3", "--quiet"])
    hundred_workshops.add_ended_workshops(args, datetime.now(UTC).date(), random.Random(1))
    with_three = _queries(organizer_client)
    grown = {label: (with_one[label], count) for label, count in with_three.items() if count > with_one[label]}
    assert not grown, f"queries with one workshop → with three: {grown}"


@pytest.mark.parametrize("label", sorted(GROWING))
def test_growing_tables_changelists_do_not_count_every_row(label):
    app_label, model_name = label.split(".")
    model_admin = next(ma for m, ma in admin.site._registry.items() if m._meta.label_lower == label)
    assert model_admin.show_full_result_count is False, f"{app_label}.{model_name}"
