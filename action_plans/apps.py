from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActionPlansConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "action_plans"
    verbose_name = _("Action plans")

    def ready(self):
        # Preparation counts an SDG choice or a team's priorities as the work of their task, without knowing us.
        from preparation import structured

        from .structured import StructuredAnswers

        structured.register(StructuredAnswers())

        # The home, the session page, the navigation and the facilitate page show action plans without knowing us.
        from common import registry

        from . import extensions, reminder_kinds
        from .home import home_items_for

        registry.home_items.register(home_items_for, key="action_plans")
        registry.session_cards.register(extensions.session_cards, key="action_plans", order=40)
        registry.nav_entries.register(extensions.nav_entries, key="action_plans")
        registry.workshop_links.register(extensions.workshop_links, key="action_plans")
        registry.group_links.register(extensions.group_links, key="action_plans", order=50)
        registry.reminder_kinds.register(reminder_kinds.kinds, key="action_plans", order=50)
        # manage.py load_demo runs the loaders in order: the programme first, then each feature's content.
        registry.demo_loaders.register(registry.lazy_provider("action_plans.demo.load"), key="action_plans", order=50)
        registry.exports.register(extensions.exports, key="action_plans", order=30)

        # Reference data loaded by a migration must survive a flush (each test that commits ends with one).
        from django.db.models.signals import post_migrate

        from .reference import reference_data_after_migrate

        post_migrate.connect(reference_data_after_migrate, sender=self, dispatch_uid="action_plans_reference_data")
