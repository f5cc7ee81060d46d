from django.contrib import admin
from django.http import HttpResponse
from django.urls import include, path


def healthz(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("healthz/", healthz, name="healthz"),
    path("", include("participants.urls")),
    path("", include("sessions_app.urls")),
    path("", include("reminders.urls")),
    path("", include("preparation.urls")),
    path("", include("live.urls")),
    path("", include("assessments.urls")),
    path("", include("action_plans.urls")),
    path("", include("evaluations.urls")),
    path("", include("reports.urls")),
]
