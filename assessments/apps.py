from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = "Capability assessment (DTCA)"

    def ready(self):
        # The home lists the participant's DTCA step without knowing this app.
        from common.registry import home_items

        from .home import home_items_for

        home_items.register(home_items_for, key="assessments")

        from . import signals

        signals.connect()

        # The default instrument a migration loads must survive a flush (each test that commits ends with one).
        from django.db.models.signals import post_migrate

        from .instrument_file import default_instrument_after_migrate

        post_migrate.connect(
            default_instrument_after_migrate, sender=self, dispatch_uid="assessments_default_instrument"
        )
