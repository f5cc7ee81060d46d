from django.apps import AppConfig


class SessionsAppConfig(AppConfig):
    name = "sessions_app"
    verbose_name = "Programme"

    def ready(self):
        from common import registry

        from . import extensions

        registry.nav_entries.register(extensions.nav_entries, key="sessions_app")
