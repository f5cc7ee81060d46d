"""A group's certificates as one zip, made in the worker (common/background.py): issuing and drawing forty PDF
certificates takes longer than a web request should."""

from __future__ import annotations

from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _

from common.background import BackgroundJob, NothingToMake
from participants.access import is_organizer
from sessions_app.models import Cohort

from . import certificates, selectors, services
from .access import certificates_issuer_cohort_or_404

KEY = "attendance.group_certificates"


def _cohort(target: str) -> Cohort | None:
    return Cohort.objects.select_related("workshop").filter(pk=int(target)).first()


def build(target: str, progress):
    """Issue the certificates the group's qualifying participants do not have yet, then zip them all."""
    cohort = _cohort(target)
    if cohort is None:
        raise NothingToMake(_("This group no longer exists."))
    qualifying = [status for status in selectors.group_certificate_statuses(cohort) if status.qualifies]
    if not qualifying:
        raise NothingToMake(_("Nobody in this group qualifies for a certificate yet."))
    issued = [services.issue_certificate(status) for status in qualifying]
    progress(30)
    archive = certificates.zip_file(issued, selectors.certificate_context(cohort.workshop))
    return f"certificates-{slugify(cohort.workshop.slug)}-{slugify(cohort.name)}.zip", archive


def allowed(request, target: str) -> bool:
    """Organizers who may open the group (checked on every download, not only when it was asked for)."""
    if not is_organizer(request.user):
        return False
    certificates_issuer_cohort_or_404(request, int(target))
    return True


def describe(target: str) -> dict:
    cohort = _cohort(target)
    return {
        "title": _("Certificates of %(group)s") % {"group": cohort.name},
        "back": reverse("attendance:group_certificates", args=[cohort.pk]),
        "workshop": cohort.workshop,
    }


def job() -> BackgroundJob:
    return BackgroundJob(key=KEY, build=build, allowed=allowed, describe=describe)
