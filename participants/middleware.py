import zoneinfo

from django.utils import timezone, translation

from common.i18n import supported

from .viewer import lazy_request_class


class UserTimezoneMiddleware:
    """Shows every time in the signed-in person's own zone; ``request.participation`` is looked up on first use.

    See participants/viewer.py: both are remembered per session and looked up again after a change.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/static/"):
            request.participation = None
            request.timezone_name = "UTC"
        else:
            request.__class__ = lazy_request_class(request.__class__)
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
            # The person's own choice needs no lookup; only without one is the enrolment read (once per session).
            language = supported(request.user.language)
            if not language:
                participation = getattr(request, "participation", None)
                language = supported(participation.cohort.workshop.language if participation is not None else None)
            if language:
                translation.activate(language)
                request.LANGUAGE_CODE = language
        return self.get_response(request)
