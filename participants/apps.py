from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class ParticipantsConfig(AppConfig):
    name = "participants"
    verbose_name = gettext_lazy("Participants")

    def ready(self):
        from common import access, i18n

        from . import signals
        from .selectors import current_participation

        signals.connect()
        # Mail and pages speak the language of the workshop a person takes part in (common/i18n.py).
        i18n.participation_lookup = current_participation
        access.participation_lookup = current_participation  # a viewer built without a request (common/access.py)
