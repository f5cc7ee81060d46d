"""Forget when people answered: completions lose their moment, responses their day (the columns go in 0004, a
migration of its own: PostgreSQL refuses to alter a table in the transaction that just rewrote its rows).

Before the columns go, every stored value is overwritten (PostgreSQL's DROP COLUMN only hides a column: its values
would stay in the table's pages until each row is written again), and the responses and answers of every anonymous
form are written again in a random order, so neither row order nor the transaction that wrote them pairs a
response with its completion any more. On PostgreSQL the old row versions are dead after this migration and are
reclaimed by autovacuum; run `VACUUM FULL evaluations_response, evaluations_answer, evaluations_completion` to
erase them at once.
"""

import datetime
import random

from django.db import migrations

PLACEHOLDER_DAY = datetime.date(2000, 1, 1)
PLACEHOLDER_MOMENT = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)


def forget_moments_and_shuffle(apps, schema_editor):
    Response = apps.get_model("evaluations", "Response")
    Answer = apps.get_model("evaluations", "Answer")
    Completion = apps.get_model("evaluations", "Completion")
    EvaluationForm = apps.get_model("evaluations", "EvaluationForm")
    Completion.objects.update(completed_at=PLACEHOLDER_MOMENT)
    Response.objects.update(submitted_on=PLACEHOLDER_DAY)
    rng = random.SystemRandom()
    for form_id in EvaluationForm.objects.filter(is_anonymous=True).values_list("pk", flat=True):
        # An anonymous form's responses have no completion pointing at them; the filter keeps it that way.
        unlinked = Response.objects.filter(form_id=form_id, completion__isnull=True)
        responses = list(unlinked.order_by())
        if len(responses) < 2:
            continue
        answers = list(Answer.objects.filter(response__in=unlinked).order_by())
        rng.shuffle(responses)
        rng.shuffle(answers)
        Answer.objects.filter(response__in=unlinked).delete()
        unlinked.delete()
        Response.objects.bulk_create(responses, batch_size=1000)
        Answer.objects.bulk_create(answers, batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [
        ("evaluations", "0002_default_templates"),
    ]

    operations = [
        migrations.RunPython(forget_moments_and_shuffle, migrations.RunPython.noop, elidable=True),
        migrations.AlterModelOptions(
            name="completion",
            options={"ordering": ["form", "participant"], "verbose_name": "completion"},
        ),
        migrations.AlterModelOptions(
            name="response",
            options={"ordering": ["form", "id"], "verbose_name": "response"},
        ),
    ]
