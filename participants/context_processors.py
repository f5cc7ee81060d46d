from .access import is_facilitator


def portal(request):
    user = getattr(request, "user", None)
    return {
        "participation": getattr(request, "participation", None),
        "user_timezone": getattr(request, "timezone_name", "UTC"),
        # A callable: templates evaluate it only where the navigation asks.
        "is_facilitator": (lambda: is_facilitator(user)) if user is not None else False,
    }
