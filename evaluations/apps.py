from django.apps import AppConfig


class EvaluationsConfig(AppConfig):
    name = "evaluations"
    verbose_name = "Evaluations"

    def ready(self):
        # The home lists the participant's open evaluations without knowing this app.
        from common.registry import home_items

        from .home import home_items_for

        home_items.register(home_items_for, key="evaluations")
