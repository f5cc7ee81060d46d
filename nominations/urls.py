from django.urls import path

from . import views

app_name = "nominations"

urlpatterns = [
    path("nominate/", views.my_countries, name="mine"),
    path("nominate/<int:call_pk>/<str:code>/", views.country, name="country"),
    path("nominate/<int:call_pk>/<str:code>/<int:pk>/edit/", views.edit, name="edit"),
    path("nominate/<int:call_pk>/<str:code>/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("nominations/cv/<int:pk>/", views.cv, name="cv"),
    path("apply/<slug:slug>/", views.apply, name="apply"),
    path("apply/confirm/<str:token>/", views.confirm, name="confirm"),
    path("facilitate/nominations/<int:workshop_pk>/", views.review, name="review"),
    path("facilitate/nominations/<int:workshop_pk>/<int:pk>/decide/", views.decide, name="decide"),
    path("facilitate/nominations/<int:workshop_pk>/<int:pk>/withdraw/", views.organizer_withdraw, name="withdraw_any"),
    path("facilitate/nominations/<int:workshop_pk>/<int:pk>/promote/", views.promote, name="promote"),
    path("facilitate/nominations/<int:workshop_pk>/groups/", views.groups, name="groups"),
    path("facilitate/nominations/<int:workshop_pk>/courtesy/", views.courtesy, name="courtesy"),
    path("facilitate/nominations/<int:workshop_pk>/<str:what>.<str:fmt>", views.download, name="download"),
]
