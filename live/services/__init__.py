"""Functions that change live-session data, one module per tool (as the views are split): ``breakout``,
``polls``, ``boards``, ``debates``, ``key_messages``. They check the rules; views only translate requests.

This module holds only what every tool shares: the refusal every service raises and the rule that an activity
is for its own group.
"""

from __future__ import annotations

# Seeds fit a PositiveIntegerField on every database.
MAX_SEED = 2**31 - 1


class LiveError(Exception):
    """A refused action; the message is shown to the person as it is."""


def check_taking_part(board_or_debate, participant) -> None:
    """Only the group's own active participants post ideas and statements."""
    if participant.cohort_id != board_or_debate.occurrence.cohort_id or not participant.is_active:
        raise LiveError("This activity is for another group.")
