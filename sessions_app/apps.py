from django.apps import AppConfig


class SessionsAppConfig(AppConfig):
    name = "sessions_app"
    verbose_name = "Programme"

    def ready(self):
        from . import admin_lists  # noqa: F401  (registers the admin's related-field filter)
