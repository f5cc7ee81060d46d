"""The four roles as Django groups, and the model permissions each carries.

Who facilitates which workshop is still ``Workshop.facilitators`` and who is an organizer is still ``is_staff``:
``participants.access`` asks those, per object. The groups mirror them so that the admin (model
permissions) and anyone reading the user list see the same roles, and so that a staff member who is not a
superuser can run the admin as an organizer.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.apps import apps as global_apps
from django.conf import settings

from common.access import FACILITATOR, ORGANIZER, PARTICIPANT, SPEAKER

ROLES = (ORGANIZER, FACILITATOR, SPEAKER, PARTICIPANT)

# Permissions by (app label, codename); "view_*" means every view permission of the app.
ROLE_PERMISSIONS: dict[str, list[tuple[str, str]]] = {
    FACILITATOR: [
        ("sessions_app", "view_*"),
        ("participants", "view_participant"),
        ("participants", "view_country"),
        ("participants", "view_team"),
        ("participants", "view_teammembership"),
        ("preparation", "view_submission"),
        ("preparation", "view_progress_board"),
        ("preparation", "download_task_files"),
    ],
    SPEAKER: [("sessions_app", "view_*")],
    PARTICIPANT: [
        ("sessions_app", "view_session"),
        ("sessions_app", "view_sessionoccurrence"),
        ("sessions_app", "view_preparationtask"),
        ("preparation", "add_submission"),
        ("preparation", "view_submission"),
    ],
}


def project_app_labels() -> list[str]:
    """The portal's own apps (not Django's or allauth's): organizers hold every permission of these."""
    # An app of the portal is a top-level package of the checkout; a virtualenv inside the checkout holds Django's
    # and allauth's apps below it too, and organizers must not get their permissions (auth groups, e-mail addresses).
    base = Path(settings.BASE_DIR).resolve()
    return [config.label for config in global_apps.get_app_configs() if Path(config.path).resolve().parent == base]


def ensure_role_groups(Group=None, Permission=None) -> dict[str, Any]:  # noqa: N803 - model classes
    """Create the role groups and give them their permissions; running it again only adds what is missing.

    Takes the models as arguments so the data migration can pass its historical ones.
    """
    if Group is None or Permission is None:
        from django.contrib.auth.models import Group, Permission
    groups = {name: Group.objects.get_or_create(name=name)[0] for name in ROLES}
    organizer_perms = Permission.objects.filter(content_type__app_label__in=project_app_labels()) | (
        Permission.objects.filter(content_type__app_label="auth", codename="view_group")
    )
    groups[ORGANIZER].permissions.add(*organizer_perms)
    # Permissions an earlier release granted by mistake outside the portal's own apps are taken back.
    groups[ORGANIZER].permissions.remove(*groups[ORGANIZER].permissions.exclude(pk__in=organizer_perms.values("pk")))
    for role, wanted in ROLE_PERMISSIONS.items():
        found = []
        for app_label, codename in wanted:
            perms = Permission.objects.filter(content_type__app_label=app_label)
            if codename.endswith("*"):
                perms = perms.filter(codename__startswith=codename[:-1])
            else:
                perms = perms.filter(codename=codename)
            found.extend(perms)
        groups[role].permissions.add(*found)
    return groups
