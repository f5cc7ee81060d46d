from django.urls import path

from . import views

app_name = "preparation"

urlpatterns = [
    path("preparation/", views.my_preparation, name="mine"),
    path("preparation/tasks/<int:pk>/", views.preparation_task, name="task"),
    path("preparation/work/<int:pk>/", views.submission_detail, name="submission"),
    path("preparation/files/<int:pk>/", views.version_file, name="file"),
    path("facilitate/groups/<int:cohort_pk>/preparation/", views.progress_board, name="progress_board"),
    path("facilitate/groups/<int:cohort_pk>/preparation.csv", views.progress_board_csv, name="progress_board_csv"),
    path("facilitate/tasks/<int:pk>/files.zip", views.task_files_zip, name="task_files_zip"),
]
