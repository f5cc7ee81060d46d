from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("evaluations", "0003_forget_when_people_answered"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="completion",
            name="completed_at",
        ),
        migrations.RemoveField(
            model_name="response",
            name="submitted_on",
        ),
    ]
