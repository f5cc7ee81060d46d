from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "reminders"
    verbose_name = "Reminders"

    def ready(self):
        # The facilitate page offers the group's one-off message without knowing us.
        from common import registry

        from . import extensions

        registry.group_links.register(extensions.group_links, key="reminders", order=10)
