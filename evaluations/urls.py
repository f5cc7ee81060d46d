from django.urls import path

from . import views

urlpatterns = [
    path("evaluations/", views.evaluation_list, name="evaluation_list"),
    path("evaluations/<int:pk>/", views.evaluation_form, name="evaluation_form"),
    # Facilitators' reports: every address below answers 404 to anyone who does not facilitate the workshop.
    path("facilitate/evaluations/<int:workshop_pk>/", views.workshop_reports, name="evaluation_reports"),
    path("facilitate/evaluations/<int:workshop_pk>/report.pdf", views.workshop_pdf, name="evaluation_reports_pdf"),
    path("facilitate/evaluations/<int:workshop_pk>/report.xlsx", views.workshop_xlsx, name="evaluation_reports_xlsx"),
    path(
        "facilitate/evaluations/<int:workshop_pk>/sessions/<int:number>/",
        views.compare_session,
        name="evaluation_compare_session",
    ),
    path("facilitate/evaluations/<int:workshop_pk>/course/", views.compare_course, name="evaluation_compare_course"),
    path("facilitate/evaluations/forms/<int:pk>/", views.form_report, name="evaluation_report"),
    path("facilitate/evaluations/forms/<int:pk>/open/", views.open_form_now, name="evaluation_open_now"),
    path("facilitate/evaluations/forms/<int:pk>/responses.csv", views.form_csv, name="evaluation_report_csv"),
    path("facilitate/evaluations/forms/<int:pk>/report.xlsx", views.form_xlsx, name="evaluation_report_xlsx"),
    path("facilitate/evaluations/forms/<int:pk>/report.pdf", views.form_pdf, name="evaluation_report_pdf"),
]
