"""What the reports app adds to shared pages (registered in ReportsConfig.ready)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from common.registry import Link


def workshop_links(workshop, memo):
    """The facilitate page: the workshop report."""
    return [Link(_("Workshop report"), reverse("reports:workshop", args=[workshop.pk]), key="workshop-report")]
