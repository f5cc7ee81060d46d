from django.apps import AppConfig


class EvaluationsConfig(AppConfig):
    name = "evaluations"
    verbose_name = "Evaluations"

    def ready(self):
        # The home, the session page, the navigation and the facilitate page show evaluations without knowing us.
        from common import registry

        from . import extensions
        from .home import home_items_for

        registry.home_items.register(home_items_for, key="evaluations")
        registry.session_cards.register(extensions.session_cards, key="evaluations", order=50)
        registry.nav_entries.register(extensions.nav_entries, key="evaluations")
        registry.group_links.register(extensions.group_links, key="evaluations", order=60)
