from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LiveConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "live"
    verbose_name = _("Live sessions")

    def ready(self):
        # Other apps' pages show what is live now and the run-sheet without knowing us.
        from common import registry

        from . import extensions
        from .home import live_items

        registry.home_items.register(live_items, key="live")
        registry.session_cards.register(extensions.session_cards, key="live", order=20)
        registry.session_links.register(extensions.session_links, key="live", order=10)
        registry.occurrence_tabs.register(extensions.runsheet_tab, key="live-runsheet", order=10)
        registry.occurrence_tabs.register(extensions.occurrence_tabs, key="live", order=30)
        # manage.py load_demo runs the loaders in order: the programme first, then each feature's content.
        registry.demo_loaders.register(registry.lazy_provider("live.demo.load"), key="live", order=30)
