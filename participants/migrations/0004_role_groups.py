from django.db import migrations


def create_role_groups(apps, schema_editor):
    """Organizer, facilitator, speaker and participant groups with their permissions (idempotent)."""
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations; create them now so the groups can hold them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    from participants.roles import ORGANIZER, FACILITATOR, PARTICIPANT, ensure_role_groups

    Group = apps.get_model("auth", "Group")
    ensure_role_groups(Group=Group, Permission=apps.get_model("auth", "Permission"))
    User = apps.get_model("participants", "User")
    groups = {group.name: group for group in Group.objects.all()}
    for user in User.objects.filter(is_staff=True):
        user.groups.add(groups[ORGANIZER])
    for user in User.objects.filter(facilitated_workshops__isnull=False).distinct():
        user.groups.add(groups[FACILITATOR])
    for user in User.objects.filter(participations__is_active=True).distinct():
        user.groups.add(groups[PARTICIPANT])


class Migration(migrations.Migration):
    dependencies = [
        ("participants", "0003_invitations_teams_preferences"),
        ("preparation", "0001_initial"),
        ("sessions_app", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_role_groups, migrations.RunPython.noop)]
