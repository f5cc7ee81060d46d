"""Load the shipped reference data: the 17 SDGs, the eleven principles of effective governance in their three
groups and the five qualities of public service, so a fresh install has them without the demo.

Later changes to the files are loaded with `manage.py load_reference_data`.
"""

from django.db import migrations


def load(apps, schema_editor):
    from action_plans.reference import load_reference_data

    load_reference_data(
        Sdg=apps.get_model("action_plans", "Sdg"),
        GovernancePrinciple=apps.get_model("action_plans", "GovernancePrinciple"),
        ServiceQuality=apps.get_model("action_plans", "ServiceQuality"),
    )


class Migration(migrations.Migration):
    dependencies = [("action_plans", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
