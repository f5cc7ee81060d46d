from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("profile/my-data.zip", views.my_data, name="my_data"),
]
