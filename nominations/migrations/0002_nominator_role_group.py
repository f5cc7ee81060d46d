from django.db import migrations


def create_nominator_group(apps, schema_editor):
    """The nominator role, as a Django group like the roles in participants (idempotent).

    Nominators hold no model permissions: they never use the admin, and their country page asks
    Nominator rows per object.
    """
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations; create them now so the organizer group can hold them.
    config = apps.get_app_config("nominations")
    config.models_module = True
    create_permissions(config, apps=apps, verbosity=0)
    config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Group.objects.get_or_create(name="nominator")
    organizer = Group.objects.filter(name="organizer").first()
    if organizer is not None:  # organizers hold every permission of the portal's apps
        organizer.permissions.add(*Permission.objects.filter(content_type__app_label="nominations"))


class Migration(migrations.Migration):
    dependencies = [
        ("nominations", "0001_calls_nominators_nominations"),
        ("participants", "0004_role_groups"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_nominator_group, migrations.RunPython.noop)]
