from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LiveConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "live"
    verbose_name = _("Live sessions")

    def ready(self):
        # Other apps' pages show what is live now, the certificate and the run-sheet without knowing us.
        from common import registry

        from . import extensions
        from .home import certificate_items, live_items

        registry.home_items.register(live_items, key="live")
        registry.home_items.register(certificate_items, key="certificate")
        registry.session_cards.register(extensions.session_cards, key="live", order=20)
        registry.home_cards.register(extensions.home_cards, key="live")
        registry.group_links.register(extensions.group_links, key="live", order=30)
        registry.session_links.register(extensions.session_links, key="live", order=10)
        # A group's certificates as one zip are made in the worker (common/background.py).
        from common.background import register

        from .certificate_zips import job

        register(job())
        # manage.py load_demo runs the loaders in order: the programme first, then each feature's content.
        registry.demo_loaders.register(registry.lazy_provider("live.demo.load"), key="live", order=30)
