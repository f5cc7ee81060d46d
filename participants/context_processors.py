def portal(request):
    return {
        "participation": getattr(request, "participation", None),
        "user_timezone": getattr(request, "timezone_name", "UTC"),
    }
