from django.apps import AppConfig


class EvaluationsConfig(AppConfig):
    name = "evaluations"
    verbose_name = "Evaluations"

    def ready(self):
        # The home lists the participant's open evaluations without knowing this app.
        from common.registry import home_items

        from .home import home_items_for

        home_items.register(home_items_for, key="evaluations")

        # The default templates a migration loads must survive a flush (each test that commits ends with one).
        from django.db.models.signals import post_migrate

        from .templates_file import default_templates_after_migrate

        post_migrate.connect(default_templates_after_migrate, sender=self, dispatch_uid="evaluations_default_templates")
