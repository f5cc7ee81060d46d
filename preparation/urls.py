from django.urls import path

from . import views

urlpatterns = [
    path("preparation/", views.my_preparation, name="my_preparation"),
    path("preparation/tasks/<int:pk>/", views.preparation_task, name="preparation_task"),
    path("preparation/work/<int:pk>/", views.submission_detail, name="preparation_submission"),
    path("preparation/files/<int:pk>/", views.version_file, name="preparation_file"),
    path("facilitate/groups/<int:cohort_id>/preparation/", views.progress_board, name="progress_board"),
    path("facilitate/groups/<int:cohort_id>/preparation.csv", views.progress_board_csv, name="progress_board_csv"),
    path("facilitate/tasks/<int:pk>/files.zip", views.task_files_zip, name="task_files_zip"),
]
