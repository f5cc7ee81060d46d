from django.contrib.auth.decorators import login_required
from django.utils import timezone
from django.views.decorators.http import require_GET

from common.exports import zip_response

from . import services


@login_required
@require_GET
def my_data(request):
    """The signed-in person's own data, and only theirs: there is no way to name another person here."""
    archive = services.export_zip(request.user)
    return zip_response(f"my-workshop-portal-data-{timezone.now():%Y-%m-%d}.zip", archive)
