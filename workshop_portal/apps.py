from django.contrib.admin.apps import AdminConfig


class PortalAdminConfig(AdminConfig):
    """Django's admin with the portal's site: models grouped by the organizers' work, labelled date/time boxes."""

    default_site = "workshop_portal.admin_site.PortalAdminSite"

    def ready(self):
        from django.contrib.admin import options
        from django.db import models

        from .admin_site import LabelledSplitDateTime

        # Before the apps register their ModelAdmins (autodiscover, in super().ready()), which copy these defaults.
        options.FORMFIELD_FOR_DBFIELD_DEFAULTS[models.DateTimeField] = {
            **options.FORMFIELD_FOR_DBFIELD_DEFAULTS[models.DateTimeField],
            "widget": LabelledSplitDateTime,
        }
        super().ready()
