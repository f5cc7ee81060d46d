import zoneinfo

from django.utils import timezone

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
