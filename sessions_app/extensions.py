"""What the programme app adds to the pages every app shares: its navigation entries."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from common.registry import NavEntry, Role


def _programme_url(context) -> str:
    return reverse("sessions:programme", args=[context["participation"].cohort.workshop.slug])


def nav_entries():
    return [
        NavEntry(_("Home"), "sessions:home", Role.PARTICIPANT, order=10, key="home"),
        NavEntry(_("My schedule"), "sessions:schedule", Role.PARTICIPANT, order=20, key="schedule"),
        NavEntry(_("Programme"), _programme_url, Role.PARTICIPANT, order=90, key="programme"),
        NavEntry(_("Facilitate"), "sessions:facilitate", Role.FACILITATOR, order=100, key="facilitate"),
        NavEntry(_("Admin"), "admin:index", Role.STAFF, order=110, key="admin"),
    ]
