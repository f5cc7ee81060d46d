"""What live sessions add to other apps' pages: the session panel, the certificate entry, facilitator links."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from common.access import viewer_of
from common.registry import Card, Link

from . import selectors
from .access import Role, role_for


def live_session_panel(context, occurrence):
    """Rooms, polls, boards, debates and key messages for one occurrence, on the group's session page."""
    request = context["request"]
    viewer = viewer_of(request)
    if viewer.can_take_part(occurrence):
        # The session page already let them in as a participant of this group; spare the facilitator lookup.
        role = Role(is_facilitator=viewer.is_organizer, participant=viewer.participation)
    else:
        role = role_for(request, occurrence)
    return {
        "occurrence": occurrence,
        "role": role,
        "refresh": selectors.panel_is_live(occurrence),
        **selectors.session_panel(occurrence, role.participant),
    }


def session_cards(context, occurrence):
    return [Card("live/partials/session_panel_frame.html", live_session_panel(context, occurrence))]


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
    return [Card("live/partials/certificate_entry.html", {"has_certificate": has_certificate})]


def group_links(cohort, workshop, memo):
    return [
        Link(_("Attendance & certificates"), reverse("live:group_certificates", args=[cohort.pk]), key="certificates")
    ]


def session_links(occurrence, memo):
    return [Link(_("Run-sheet"), reverse("live:runsheet", args=[occurrence.pk]), key="runsheet")]
