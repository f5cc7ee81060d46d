from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class SessionsAppConfig(AppConfig):
    name = "sessions_app"
    verbose_name = gettext_lazy("Programme")

    def ready(self):
        from common import registry

        from . import admin_lists, extensions  # noqa: F401  (admin_lists registers the admin's related-field filter)

        registry.nav_entries.register(extensions.nav_entries, key="sessions_app")
