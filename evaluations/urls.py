from django.urls import path

from . import views

app_name = "evaluations"

urlpatterns = [
    path("evaluations/", views.evaluation_list, name="list"),
    path("evaluations/<int:pk>/", views.evaluation_form, name="form"),
    # Facilitators' reports: every address below answers 404 to anyone who does not facilitate the workshop.
    path("facilitate/evaluations/<int:workshop_pk>/", views.workshop_reports, name="reports"),
    path("facilitate/evaluations/<int:workshop_pk>/report.pdf", views.workshop_pdf, name="reports_pdf"),
    path("facilitate/evaluations/<int:workshop_pk>/report.xlsx", views.workshop_xlsx, name="reports_xlsx"),
    path(
        "facilitate/evaluations/<int:workshop_pk>/sessions/<int:number>/",
        views.compare_session,
        name="compare_session",
    ),
    path("facilitate/evaluations/<int:workshop_pk>/course/", views.compare_course, name="compare_course"),
    path("facilitate/evaluations/forms/<int:pk>/", views.form_report, name="report"),
    path("facilitate/evaluations/forms/<int:pk>/open/", views.open_form_now, name="open_now"),
    path("facilitate/evaluations/forms/<int:pk>/responses.csv", views.form_csv, name="report_csv"),
    path("facilitate/evaluations/forms/<int:pk>/report.xlsx", views.form_xlsx, name="report_xlsx"),
    path("facilitate/evaluations/forms/<int:pk>/report.pdf", views.form_pdf, name="report_pdf"),
]
