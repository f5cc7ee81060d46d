from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RemindersConfig(AppConfig):
    name = "reminders"
    verbose_name = _("Reminders")

    def ready(self):
        # The facilitate page offers the group's one-off message without knowing us.
        from common import registry

        from . import extensions, kinds

        registry.group_links.register(extensions.group_links, key="reminders", order=10)
        registry.reminder_kinds.register(kinds.kinds, key="reminders", order=30)
        # manage.py load_demo runs the loaders in order: the programme first, then each feature's content.
        registry.demo_loaders.register(registry.lazy_provider("reminders.demo.load"), key="reminders", order=10)
