"""Load the shipped default DTCA instrument, so a fresh install has it without the demo.

Later changes to the file are loaded with `manage.py load_instrument`, which
refuses to rewrite a version that already has answers.
"""

from django.db import migrations


def load_default_instrument(apps, schema_editor):
    from assessments.instrument_file import DEFAULT_INSTRUMENT_FILE, read_instrument_file, write_instrument

    Instrument = apps.get_model("assessments", "Instrument")
    spec = read_instrument_file(DEFAULT_INSTRUMENT_FILE)
    if Instrument.objects.filter(key=spec.key, version=spec.version).exists():
        return
    write_instrument(
        spec,
        Instrument=Instrument,
        ScaleLevel=apps.get_model("assessments", "ScaleLevel"),
        Dimension=apps.get_model("assessments", "Dimension"),
        Statement=apps.get_model("assessments", "Statement"),
    )


class Migration(migrations.Migration):
    dependencies = [("assessments", "0001_initial")]

    operations = [migrations.RunPython(load_default_instrument, migrations.RunPython.noop)]
