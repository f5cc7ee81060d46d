from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class CommonConfig(AppConfig):
    """Rules every feature shares, written once: exports, text, time, validators, access primitives, registries."""

    name = "common"
    verbose_name = gettext_lazy("Shared rules")

    def ready(self):
        from . import fragments

        fragments.install()
