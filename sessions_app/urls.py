from django.urls import path

from . import views

app_name = "sessions"

urlpatterns = [
    path("", views.home, name="home"),
    path("facilitate/", views.facilitate, name="facilitate"),
    path("programme/<slug:slug>/", views.programme, name="programme"),
    path("schedule/", views.schedule, name="schedule"),
    path("sessions/<int:pk>/", views.session_detail, name="detail"),
    path("sessions/<int:pk>/calendar.ics", views.session_ics, name="ics"),
]
