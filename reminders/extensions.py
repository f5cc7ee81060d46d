"""What reminders add to other apps' pages: the facilitator's one-off message to a group."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from common.registry import Link


def group_links(cohort, workshop, memo):
    url = reverse("reminders:one_off", args=[cohort.pk])
    return [Link(_("Message who has not done a task"), url, style="btn-outline-secondary", key="one-off-message")]
