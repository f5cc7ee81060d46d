import zoneinfo

from django.utils import timezone

from common.access import lazy_viewer

from .selectors import current_participation, timezone_name_for


class UserTimezoneMiddleware:
    """Shows every time in the signed-in person's own zone and remembers their participation."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.participation = None
        request.timezone_name = "UTC"
        request.viewer = lazy_viewer(request)
        if request.user.is_authenticated and not request.path.startswith("/static/"):
            request.participation = current_participation(request.user)
            request.timezone_name = timezone_name_for(request.user, request.participation)
        timezone.activate(zoneinfo.ZoneInfo(request.timezone_name))
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
