"""What live sessions add to other apps' pages: the session panel and the run-sheet link."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from common.access import viewer_of
from common.registry import Card, Link

from .access import Role, role_for
from .selectors.session_panel import panel_is_live, session_panel


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
        "refresh": panel_is_live(occurrence),
        **session_panel(occurrence, role.participant),
    }


def session_cards(context, occurrence):
    return [Card("live/partials/session_panel_frame.html", live_session_panel(context, occurrence))]


def session_links(occurrence, memo):
    return [Link(_("Run-sheet"), reverse("live:runsheet", args=[occurrence.pk]), key="runsheet")]


def runsheet_tab(occurrence, memo):
    return [Link(_("Run-sheet"), reverse("live:runsheet", args=[occurrence.pk]), key="runsheet")]


def occurrence_tabs(occurrence, memo):
    return [
        Link(_("Polls"), reverse("live:polls", args=[occurrence.pk]), key="polls"),
        Link(_("Key messages"), reverse("live:key_messages", args=[occurrence.pk]), key="key_messages"),
    ]
