from django.apps import AppConfig


class ActionPlansConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "action_plans"
    verbose_name = "Action plans"

    def ready(self):
        # Preparation counts an SDG choice or a team's priorities as the work of their task, without knowing us.
        from preparation import structured

        from .structured import StructuredAnswers

        structured.register(StructuredAnswers())

        # The home lists the team's action-plan follow-up without knowing us.
        from common.registry import home_items

        from .home import home_items_for

        home_items.register(home_items_for, key="action_plans")

        # Reference data loaded by a migration must survive a flush (each test that commits ends with one).
        from django.db.models.signals import post_migrate

        from .reference import reference_data_after_migrate

        post_migrate.connect(reference_data_after_migrate, sender=self, dispatch_uid="action_plans_reference_data")
