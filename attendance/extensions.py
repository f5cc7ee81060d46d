"""What attendance adds to other apps' pages: the certificate entry, the group's certificates, the session tab."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from common.registry import Card, Link

from . import selectors


def home_cards(context, phase):
    """After the workshop, the participant's way to the certificate (one query, only for participants)."""
    participation = context.get("participation")
    if phase != "after" or participation is None:
        return []
    viewer = getattr(context.get("request"), "viewer", None)
    if viewer is not None and viewer.participation is participation:
        has_certificate = selectors.viewer_qualifies_for_certificate(viewer)
    else:
        has_certificate = selectors.qualifies_for_certificate(participation)
    return [Card("attendance/partials/certificate_entry.html", {"has_certificate": has_certificate})]


def group_links(cohort, workshop, memo):
    return [
        Link(
            _("Attendance & certificates"),
            reverse("attendance:group_certificates", args=[cohort.pk]),
            key="certificates",
        )
    ]


def occurrence_tabs(occurrence, memo):
    return [Link(_("Attendance"), reverse("attendance:attendance", args=[occurrence.pk]), key="attendance")]
