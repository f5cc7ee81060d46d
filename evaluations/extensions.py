"""What evaluations add to other apps' pages: the session page's evaluation box, a nav entry, the reports link."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from common.access import viewer_of
from common.registry import Card, Link, NavEntry, Role

from . import selectors


def session_cards(context, occurrence):
    """The evaluation box of a session page: answer it (participants) or read its report (facilitators).

    The group's last session also shows the course evaluation, which its closing remarks announce.
    """
    viewer = viewer_of(context["request"])
    participation = viewer.participation
    workshop = occurrence.session.workshop
    if viewer.can_take_part(occurrence):
        role = "participant"
    elif viewer.facilitates(workshop):
        role, participation = "facilitator", None
    else:
        return []
    forms = selectors.session_page_forms(occurrence, participation)
    entries = [{"form": form, "answered": form.answered} for form in forms]
    return [
        Card("evaluations/partials/session_evaluation.html", {"entries": entries, "role": role, "workshop": workshop})
    ]


def nav_entries():
    return [NavEntry(_("Evaluations"), "evaluations:list", Role.PARTICIPANT, order=60, key="evaluations")]


def group_links(cohort, workshop, memo):
    url = reverse("evaluations:reports", args=[workshop.pk]) + f"#group-{cohort.pk}"
    return [Link(_("Evaluation reports"), url, key="evaluation-reports")]


def exports(workshop, cohort, memo):
    if cohort is not None:
        return []
    url = reverse("evaluations:reports_xlsx", args=[workshop.pk])
    return [Link(_("Evaluation reports (Excel)"), url, key="evaluations-xlsx")]
