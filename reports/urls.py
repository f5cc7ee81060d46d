from django.urls import path

from . import views

app_name = "reports"

# Facilitators' and organizers' pages: every address answers 404 to anyone who does not facilitate the workshop.
urlpatterns = [
    path("facilitate/reports/<int:workshop_pk>/", views.report_page, name="workshop"),
    path("facilitate/reports/<int:workshop_pk>/groups/<int:cohort_pk>/", views.report_page, name="group"),
    path("facilitate/reports/<int:workshop_pk>/closing/", views.closing_text, name="closing"),
    path("facilitate/reports/<int:workshop_pk>/comments/", views.comments, name="comments"),
    path("facilitate/reports/<int:workshop_pk>/generate/", views.generate, name="generate"),
    path(
        "facilitate/reports/<int:workshop_pk>/groups/<int:cohort_pk>/generate/", views.generate, name="generate_group"
    ),
    path("facilitate/reports/files/<int:pk>/status/", views.status, name="status"),
    path("facilitate/reports/files/<int:pk>/download/", views.download, name="download"),
]
