from .access import is_facilitator
from .viewer import ViewerRequest


def _is_facilitator(request, user):
    if user is None:
        return False
    if isinstance(request, ViewerRequest):  # through UserTimezoneMiddleware: remembered per session
        return lambda: request.is_facilitator
    return lambda: is_facilitator(user)


def portal(request):
    user = getattr(request, "user", None)
    return {
        "participation": getattr(request, "participation", None),
        "user_timezone": getattr(request, "timezone_name", "UTC"),
        # A callable: templates evaluate it only where the navigation asks.
        "is_facilitator": _is_facilitator(request, user),
    }
