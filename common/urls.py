from django.contrib.auth.decorators import login_required
from django.urls import path
from django.views.decorators.http import require_GET

from . import background

app_name = "common"

urlpatterns = [
    path("files/<int:pk>/download/", login_required(require_GET(background.download)), name="background_download"),
]
