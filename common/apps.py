from django.apps import AppConfig


class CommonConfig(AppConfig):
    """Rules every feature shares, written once: exports, text, time, validators, access primitives, registries."""

    name = "common"
    verbose_name = "Shared rules"

    def ready(self):
        from . import fragments

        fragments.install()
