from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationsConfig(AppConfig):
    name = "evaluations"
    verbose_name = _("Evaluations")

    def ready(self):
        # The home, the session page, the navigation and the facilitate page show evaluations without knowing us.
        from common import registry

        from . import extensions, reminder_kinds
        from .home import home_items_for

        registry.home_items.register(home_items_for, key="evaluations")
        registry.session_cards.register(extensions.session_cards, key="evaluations", order=50)
        registry.nav_entries.register(extensions.nav_entries, key="evaluations")
        registry.group_links.register(extensions.group_links, key="evaluations", order=60)
        registry.reminder_kinds.register(reminder_kinds.kinds, key="evaluations", order=40)
        # manage.py load_demo runs the loaders in order: the programme first, then each feature's content.
        registry.demo_loaders.register(registry.lazy_provider("evaluations.demo.load"), key="evaluations", order=60)
        registry.exports.register(extensions.exports, key="evaluations", order=40)

        # The default templates a migration loads must survive a flush (each test that commits ends with one).
        from django.db.models.signals import post_migrate

        from .templates_file import default_templates_after_migrate

        post_migrate.connect(default_templates_after_migrate, sender=self, dispatch_uid="evaluations_default_templates")
