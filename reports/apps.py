from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Workshop reports")

    def ready(self):
        # The facilitate page links the workshop report, and the demo fills one, without knowing us.
        from common import registry

        from . import extensions

        registry.workshop_links.register(extensions.workshop_links, key="reports", order=120)
        registry.demo_loaders.register(registry.lazy_provider("reports.demo.load"), key="reports", order=80)
