from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = _("Capability assessment (DTCA)")

    def ready(self):
        # The home, the session page, the navigation and the facilitate page show the DTCA without knowing us.
        from common import registry

        from . import extensions, reminder_kinds
        from .home import home_items_for

        registry.home_items.register(home_items_for, key="assessments")
        registry.session_cards.register(extensions.session_cards, key="assessments", order=30)
        registry.nav_entries.register(extensions.nav_entries, key="assessments")
        registry.group_links.register(extensions.group_links, key="assessments", order=40)
        registry.reminder_kinds.register(reminder_kinds.kinds, key="assessments", order=20)
        # manage.py load_demo runs the loaders in order: the programme first, then each feature's content.
        registry.demo_loaders.register(registry.lazy_provider("assessments.demo.load"), key="assessments", order=40)
        registry.exports.register(extensions.exports, key="assessments", order=20)

        from . import signals

        signals.connect()

        # The default instrument a migration loads must survive a flush (each test that commits ends with one).
        from django.db.models.signals import post_migrate

        from .instrument_file import default_instrument_after_migrate

        post_migrate.connect(
            default_instrument_after_migrate, sender=self, dispatch_uid="assessments_default_instrument"
        )
