"""What attendance puts on the participant's home: the certificate once it can be downloaded."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from common.registry import HomeItem, Urgency

from .selectors import viewer_qualifies_for_certificate


def certificate_items(viewer) -> list[HomeItem]:
    """The certificate, once every session is over and attended (one query, shared with the page's own check)."""
    if not viewer_qualifies_for_certificate(viewer):
        return []
    return [
        HomeItem(
            kind="certificate",
            kind_label=_("Certificate"),
            title=_("Your certificate of participation"),
            url=reverse("attendance:my_certificate"),
            status="ready",
            status_label=_("Ready"),
            urgency=Urgency.LATER,
            detail=_("You attended every session: download it and share its verification code."),
            action_label=_("Download"),
        )
    ]
