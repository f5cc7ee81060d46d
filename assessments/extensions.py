"""What the DTCA adds to other apps' pages: the session card, a nav entry, the group's results link."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from common.access import viewer_of
from common.registry import Card, Link, NavEntry, Role

from . import selectors


def dtca_session_card(context, occurrence):
    """The DTCA card on a session page, shown where the session's preparation includes the assessment."""
    request = context.get("request")
    session = occurrence.session
    has_assessment = any(task.kind == task.Kind.ASSESSMENT for task in session.tasks.all())
    result = {"show": False, "occurrence": occurrence, "workshop": session.workshop}
    if not has_assessment or request is None:
        return result
    viewer = viewer_of(request)
    participation = viewer.participation
    run = selectors.run_for(session.workshop)
    result["show"] = True
    if viewer.can_take_part(occurrence):
        result["assessment"] = selectors.individual_assessment(run, participation) if run else None
        result["participant"] = True
    else:
        result["facilitator"] = True
    return result


def session_cards(context, occurrence):
    result = dtca_session_card(context, occurrence)
    return [Card("assessments/partials/session_card.html", result)] if result["show"] else []


def nav_entries():
    return [
        NavEntry(
            _("DTCA"),
            "dtca:home",
            Role.PARTICIPANT,
            title=_("Digital Transformation Capability Assessment"),
            order=40,
            key="dtca",
        )
    ]


def group_links(cohort, workshop, memo):
    return [Link(_("DTCA results"), reverse("dtca:facilitator", args=[cohort.pk]), key="dtca-results")]


def exports(workshop, cohort, memo):
    if cohort is not None:
        return []
    return [
        Link(_("DTCA results (CSV)"), reverse("dtca:export_csv", args=[workshop.pk]), key="dtca-csv"),
        Link(_("DTCA results (Excel)"), reverse("dtca:export_xlsx", args=[workshop.pk]), key="dtca-xlsx"),
    ]
