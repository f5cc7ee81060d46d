from django.db import migrations


def load_defaults(apps, schema_editor):
    # Production needs the two default templates as much as the demo does; an existing key is left alone.
    from evaluations.templates_file import load_default_templates

    load_default_templates(apps=apps)


class Migration(migrations.Migration):
    dependencies = [("evaluations", "0001_initial")]

    operations = [migrations.RunPython(load_defaults, migrations.RunPython.noop)]
