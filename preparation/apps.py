from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PreparationConfig(AppConfig):
    name = "preparation"
    verbose_name = _("Preparation work")

    def ready(self):
        # The home, the session page, the navigation and the facilitate page show preparation without knowing us.
        from common import registry

        from . import extensions, reminder_kinds
        from .home import home_items_for

        registry.home_items.register(home_items_for, key="preparation")
        registry.session_cards.register(extensions.session_cards, key="preparation", order=10)
        registry.nav_entries.register(extensions.nav_entries, key="preparation")
        registry.group_links.register(extensions.group_links, key="preparation", order=20)
        registry.reminder_kinds.register(reminder_kinds.kinds, key="preparation", order=10)
        # The zip of a task's files is made in the worker (common/background.py).
        from common.background import register

        from .zips import task_files_job

        register(task_files_job())
        # manage.py load_demo runs the loaders in order: the programme first, then each feature's content.
        registry.demo_loaders.register(registry.lazy_provider("preparation.demo.load"), key="preparation", order=20)
        registry.exports.register(extensions.exports, key="preparation", order=10)
