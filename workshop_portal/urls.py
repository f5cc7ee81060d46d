import os

from django.contrib import admin
from django.http import HttpResponse
from django.urls import include, path

from common.jsi18n import PortalJavaScriptCatalog
from operations.views import readyz
from participants.account_views import change_email


def healthz(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("admin/", admin.site.urls),
    # Before allauth's own: a new sign-in address needs the link sent to it (participants.views.ChangeEmailView).
    path("accounts/email/", change_email, name="account_email"),
    path("accounts/", include("allauth.urls")),
    path("healthz/", healthz, name="healthz"),
    path("readyz/", readyz, name="readyz"),
    # The translations of the portal's scripts; the address names the language and version (cached a year).
    path("jsi18n/<str:language>/<str:version>.js", PortalJavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("", include("participants.urls")),
    path("", include("sessions_app.urls")),
    path("", include("reminders.urls")),
    path("", include("preparation.urls")),
    path("", include("attendance.urls")),
    path("", include("live.urls")),
    path("", include("assessments.urls")),
    path("", include("action_plans.urls")),
    path("", include("evaluations.urls")),
    path("", include("nominations.urls")),
    path("", include("privacy.urls")),
    path("", include("reports.urls")),
    path("", include("common.urls")),
]

if os.environ.get("BENCH_BARE_VIEW") == "1":
    # bench/pages.py measures every page against this view; it exists only when the bench asks for it.
    def bench_bare(request):
        return HttpResponse("signed in" if request.user.is_authenticated else "anonymous", content_type="text/plain")

    urlpatterns.append(path("__bench__/bare/", bench_bare))
