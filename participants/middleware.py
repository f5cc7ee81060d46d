import zoneinfo

from django.utils import timezone, translation

from common.i18n import supported

from .selectors import current_participation, timezone_name_for


class UserTimezoneMiddleware:
    """Shows every time in the signed-in person's own zone and remembers their participation."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.participation = None
        request.timezone_name = "UTC"
        if request.user.is_authenticated and not request.path.startswith("/static/"):
            request.participation = current_participation(request.user)
            request.timezone_name = timezone_name_for(request.user, request.participation)
        timezone.activate(zoneinfo.ZoneInfo(request.timezone_name))
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


class UserLanguageMiddleware:
    """Speaks the signed-in person's language: their choice, else their workshop's; LocaleMiddleware (before
    this one) has already chosen the browser's language for everyone else."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            participation = getattr(request, "participation", None)
            workshop_language = participation.cohort.workshop.language if participation is not None else None
            language = supported(request.user.language) or supported(workshop_language)
            if language:
                translation.activate(language)
                request.LANGUAGE_CODE = language
        return self.get_response(request)
