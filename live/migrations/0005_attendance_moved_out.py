"""Attendance, its settings and the certificates now belong to the ``attendance`` app (see attendance.0001).

Live forgets them in Django's state only: the tables keep their names and their rows.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("live", "0004_content_translations"),
        ("attendance", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(model_name="certificate", name="participant"),
                migrations.RemoveField(model_name="livesettings", name="workshop"),
                migrations.DeleteModel(name="Attendance"),
                migrations.DeleteModel(name="Certificate"),
                migrations.DeleteModel(name="LiveSettings"),
            ],
            database_operations=[],
        ),
    ]
