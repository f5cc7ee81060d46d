from django.apps import AppConfig


class PreparationConfig(AppConfig):
    name = "preparation"
    verbose_name = "Preparation work"

    def ready(self):
        # The home lists the participant's preparation without knowing this app.
        from common.registry import home_items

        from .home import home_items_for

        home_items.register(home_items_for, key="preparation")
