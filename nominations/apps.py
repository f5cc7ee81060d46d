from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NominationsConfig(AppConfig):
    name = "nominations"
    verbose_name = _("Nominations")

    def ready(self):
        # The facilitate page, the reminder dispatcher and the demo use nominations without knowing us.
        from common import registry

        from . import extensions, reminders

        registry.workshop_links.register(extensions.workshop_links, key="nominations", order=110)
        registry.reminder_kinds.register(reminders.kinds, key="nominations", order=70)
        # manage.py load_demo runs the loaders in order: the programme first, then each feature's content.
        registry.demo_loaders.register(registry.lazy_provider("nominations.demo.load"), key="nominations", order=70)
