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
