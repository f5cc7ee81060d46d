"""Template helpers of the live-session console: countdowns, and the live parts of other apps' pages."""

from __future__ import annotations

from datetime import timedelta

from django import template

from .. import selectors
from ..access import Role, role_for

register = template.Library()


@register.filter
def countdown(delta: timedelta | None) -> str:
    """``12:05`` or ``1:02:05``; never negative."""
    if delta is None:
        return ""
    seconds = max(0, int(delta.total_seconds()))
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"


@register.filter
def in_words(delta: timedelta | None) -> str:
    """``in 5 min``, ``in 2 h 10 min``, ``now``."""
    if delta is None:
        return ""
    minutes = round(delta.total_seconds() / 60)
    if minutes <= 0:
        return "now"
    if minutes < 60:
        return f"in {minutes} min"
    hours, minutes = divmod(minutes, 60)
    days, hours = divmod(hours, 24)
    if days:
        return f"in {days} day{'s' if days != 1 else ''}" + (f" {hours} h" if hours else "")
    return f"in {hours} h {minutes:02d} min" if minutes else f"in {hours} h"


@register.inclusion_tag("live/partials/session_panel_frame.html", takes_context=True)
def live_session_panel(context, occurrence):
    """Rooms, polls, boards, debates and key messages for one occurrence, on the group's session page."""
    request = context["request"]
    participation = context.get("participation")
    if participation is not None and participation.cohort_id == occurrence.cohort_id:
        # The session page already let them in as a participant of this group; spare the facilitator lookup.
        role = Role(is_facilitator=request.user.is_staff, participant=participation)
    else:
        role = role_for(request, occurrence)
    return {
        "occurrence": occurrence,
        "role": role,
        "refresh": selectors.panel_is_live(occurrence),
        **selectors.session_panel(occurrence, role.participant),
    }


@register.simple_tag(takes_context=True)
def certificate_ready(context) -> bool:
    """Whether the signed-in participant has earned a certificate (one query, only for participants)."""
    participation = context.get("participation")
    if participation is None:
        return False
    request = context.get("request")
    viewer = getattr(request, "viewer", None)
    if viewer is not None and viewer.participation is participation:
        return selectors.viewer_qualifies_for_certificate(viewer)
    return selectors.qualifies_for_certificate(participation)
