from django.urls import path

from . import views

app_name = "reminders"

urlpatterns = [
    path("facilitate/groups/<int:cohort_pk>/message/", views.one_off_message, name="one_off"),
]
