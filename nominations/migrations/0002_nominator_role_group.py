from django.db import migrations


def create_nominator_group(apps, schema_editor):
    """The nominator role, as a Django group like the roles in participants (idempotent).

    Nominators hold no model permissions: they never use the admin, and their country page asks
    Nominator rows per object.
    """
    Group = apps.get_model("auth", "Group")
    Group.objects.get_or_create(name="nominator")


class Migration(migrations.Migration):
    dependencies = [
        ("nominations", "0001_calls_nominators_nominations"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_nominator_group, migrations.RunPython.noop)]
