from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AttendanceConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "attendance"
    verbose_name = _("Attendance and certificates")

    def ready(self):
        # The home, the group's page and the facilitator's pages show the certificate and attendance without
        # knowing us; the live tools read attendance through our selectors.
        from common import registry

        from . import extensions
        from .home import certificate_items

        registry.home_items.register(certificate_items, key="certificate")
        registry.home_cards.register(extensions.home_cards, key="attendance")
        registry.group_links.register(extensions.group_links, key="attendance", order=30)
        registry.occurrence_tabs.register(extensions.occurrence_tabs, key="attendance", order=20)
        # Before the live tools' demo (order 30): their votes and ideas come from those who attended.
        registry.demo_loaders.register(registry.lazy_provider("attendance.demo.load"), key="attendance", order=25)
        # A group's certificates as one zip are made in the worker (common/background.py).
        from common.background import register

        from .certificate_zips import job

        register(job())
