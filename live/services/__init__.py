"""Functions that change live-session data, one module per tool (as the views are split): ``breakout``,
``polls``, ``boards``, ``debates``, ``key_messages``. They check the rules; views only translate requests.

This module holds only what every tool shares: the refusal every service raises and the rule that an activity
is for its own group.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

# Seeds fit a PositiveIntegerField on every database.
MAX_SEED = 2**31 - 1


class LiveError(Exception):
    """A refused action; the message is shown to the person as it is."""


def start_activity(model, occurrence, item, **defaults):
    """The item's board or debate in this occurrence, made the first time it is started."""
    if item.session_id != occurrence.session_id:
        raise LiveError(_("That agenda item belongs to another session."))
    activity, _created = model.objects.get_or_create(occurrence=occurrence, agenda_item=item, defaults=defaults)
    return activity


def activity_text(text: str, item) -> str:
    """A board's prompt or a debate's motion: as typed, else the agenda item's description or title."""
    return (text or item.description or item.title).strip()[:500]


def check_taking_part(board_or_debate, participant) -> None:
    """Only the group's own active participants post ideas and statements."""
    if participant.cohort_id != board_or_debate.occurrence.cohort_id or not participant.is_active:
        raise LiveError(_("This activity is for another group."))
