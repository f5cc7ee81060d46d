from django.urls import path

from . import views

urlpatterns = [
    path("facilitate/groups/<int:cohort_id>/message/", views.one_off_message, name="reminders_one_off"),
]
