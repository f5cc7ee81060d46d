from django.apps import AppConfig


class LiveConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "live"
    verbose_name = "Live sessions"

    def ready(self):
        # The home lists what is open now in the participant's session, and the certificate, without knowing us.
        from common.registry import home_items

        from .home import certificate_items, live_items

        home_items.register(live_items, key="live")
        home_items.register(certificate_items, key="certificate")
