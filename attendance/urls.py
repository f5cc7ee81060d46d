from django.urls import path

from .views import attendance, certificates

app_name = "attendance"

# The addresses are the ones these pages had in ``live`` (bookmarks and printed verification links keep working).
urlpatterns = [
    path("live/sessions/<int:pk>/attendance/", attendance.attendance, name="attendance"),
    path("live/sessions/<int:pk>/attendance/import/", attendance.attendance_import, name="attendance_import"),
    path(
        "live/sessions/<int:pk>/attendance.csv",
        attendance.attendance_download,
        {"fmt": "csv"},
        name="attendance_csv",
    ),
    path(
        "live/sessions/<int:pk>/attendance.xlsx",
        attendance.attendance_download,
        {"fmt": "xlsx"},
        name="attendance_xlsx",
    ),
    path(
        "live/groups/<int:cohort_pk>/attendance.csv",
        attendance.group_attendance_download,
        {"fmt": "csv"},
        name="group_attendance_csv",
    ),
    path(
        "live/groups/<int:cohort_pk>/attendance.xlsx",
        attendance.group_attendance_download,
        {"fmt": "xlsx"},
        name="group_attendance_xlsx",
    ),
    # Certificates
    path("live/certificate/", certificates.my_certificate, name="my_certificate"),
    path("live/certificate/download/", certificates.my_certificate_pdf, name="my_certificate_pdf"),
    path("live/groups/<int:cohort_pk>/certificates/", certificates.group_certificates, name="group_certificates"),
    path(
        "live/groups/<int:cohort_pk>/certificates.zip",
        certificates.group_certificates_zip,
        name="group_certificates_zip",
    ),
    path("certificates/verify/", certificates.verify_certificate, name="verify_certificate"),
]
