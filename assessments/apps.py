from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = "Capability assessment (DTCA)"

    def ready(self):
        # The home lists the participant's DTCA step without knowing this app.
        from common.registry import home_items

        from .home import home_items_for

        home_items.register(home_items_for, key="assessments")
