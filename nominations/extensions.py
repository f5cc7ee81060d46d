"""What the nominations app adds to shared pages (registered in NominationsConfig.ready)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from common.registry import Link


def workshop_links(workshop, memo):
    """The facilitate page: the workshop's nominations (organizers only; the review page checks it again)."""
    return [
        Link(_("Nominations"), reverse("nominations:review", args=[workshop.pk]), key="nominations", staff_only=True)
    ]
