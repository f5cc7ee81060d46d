"""Moved: the participants' access rules are in ``participants.access``. Kept only so that older imports still work."""

from .access import (  # noqa: F401
    facilitated_cohort_or_404,
    facilitated_workshop_or_404,
    facilitated_workshops,
    is_facilitator,
    is_facilitator_of,
    is_organizer,
    participation_or_404,
)
