from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    name = "operations"
    verbose_name = _("Operations")

    def ready(self):
        from django.core import serializers

        from . import checks  # noqa: F401  (registers the deployment checks)

        serializers.register_serializer("exact-json", "operations.serializer")
