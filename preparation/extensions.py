"""What preparation adds to other apps' pages: the session page's status card, a nav entry, the progress board."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from common.registry import Card, Link, NavEntry, Role

from . import selectors


def session_cards(context, occurrence):
    """The signed-in participant's status for each task of one session, on their group's session page."""
    participation = context.get("participation")
    if participation is None or participation.cohort_id != occurrence.cohort_id:
        return []
    # The session page has computed the due moments already; its tasks close with this very occurrence.
    known_due = {row.task.pk: row.due_at for row in context.get("tasks") or []}
    rows = selectors.participant_task_rows(
        participation, occurrence.session.tasks.all(), {occurrence.session.number: occurrence}, known_due
    )
    return [
        Card(
            "preparation/partials/session_preparation.html",
            {"rows": rows, "occurrence": occurrence, "workshop": context.get("workshop")},
        )
    ]


def nav_entries():
    return [NavEntry(_("My preparation"), "preparation:mine", Role.PARTICIPANT, order=30, key="preparation")]


def group_links(cohort, workshop, memo):
    return [
        Link(_("Preparation progress"), reverse("preparation:progress_board", args=[cohort.pk]), key="progress-board")
    ]


def exports(workshop, cohort, memo):
    if cohort is None:
        return []
    url = reverse("preparation:progress_board_csv", args=[cohort.pk])
    return [Link(_("Preparation progress (CSV)"), url, key="preparation-csv")]
