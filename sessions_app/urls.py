from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("facilitate/", views.facilitate, name="facilitate"),
    path("programme/<slug:slug>/", views.programme, name="programme"),
    path("schedule/", views.schedule, name="schedule"),
    path("sessions/<int:pk>/", views.session_detail, name="session_detail"),
    path("sessions/<int:pk>/calendar.ics", views.session_ics, name="session_ics"),
]
