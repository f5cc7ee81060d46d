"""The anonymity migration on existing data: stored moments are forgotten and responses are stored shuffled.

It migrates the test database back and forth, so it commits: it lives apart from the tests that roll back (a file
holds one kind or the other, see tests/shared_demo.py).
"""

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from evaluations.models import Answer, Completion, EvaluationForm

from .factories import ParticipantFactory
from .test_evaluation_anonymity import OPENS


@pytest.mark.django_db(transaction=True)
def test_the_migration_forgets_stored_moments_and_shuffles_existing_responses(programme):
    cohort = programme.cohorts.get(name="Group A")
    people = [ParticipantFactory(cohort=cohort) for _ in range(8)]
    before = ("evaluations", "0003_forget_when_people_answered")
    executor = MigrationExecutor(connection)
    previous = executor.loader.graph.node_map[before].parents
    executor.migrate([min(previous)])
    old = executor.loader.project_state(min(previous)).apps
    OldForm, OldQuestion = old.get_model("evaluations", "EvaluationForm"), old.get_model("evaluations", "FormQuestion")
    OldResponse, OldAnswer = old.get_model("evaluations", "Response"), old.get_model("evaluations", "Answer")
    OldCompletion = old.get_model("evaluations", "Completion")
    form = OldForm.objects.create(
        cohort_id=cohort.pk, kind="course", title="Course", is_anonymous=True, opens_at=OPENS, open_days=14,
        closes_at=OPENS + timedelta(days=14),
    )  # fmt: skip
    question = OldQuestion.objects.create(form=form, order=0, key="overall", text="Overall", kind="rating")
    answered_order = []
    for index, person in enumerate(people):
        day = date(2031, 3, 2) + timedelta(days=index)
        response = OldResponse.objects.create(form=form, submitted_on=day)
        OldAnswer.objects.create(response=response, question=question, rating=1 + index % 5)
        OldCompletion.objects.create(
            form=form, participant_id=person.pk, completed_at=datetime.combine(day, datetime.min.time(), UTC)
        )
        answered_order.append(response.pk)

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes("evaluations"))

    with connection.cursor() as cursor:
        response_columns = [
            c.name for c in connection.introspection.get_table_description(cursor, "evaluations_response")
        ]
        completion_columns = [
            c.name for c in connection.introspection.get_table_description(cursor, "evaluations_completion")
        ]
        position = "ctid" if connection.vendor == "postgresql" else "rowid"
        cursor.execute(f"SELECT id FROM evaluations_response ORDER BY {position}")
        stored_order = [uuid.UUID(str(row[0])) for row in cursor.fetchall()]
    assert "submitted_on" not in response_columns and "completed_at" not in completion_columns
    assert sorted(stored_order) == sorted(answered_order) and stored_order != answered_order
    assert sorted(Answer.objects.values_list("rating", flat=True)) == sorted(1 + i % 5 for i in range(8))
    assert Completion.objects.count() == 8
    assert EvaluationForm.objects.get(pk=form.pk).responses.count() == 8
