"""Moved: the participants' access rules are in ``participants.access``. Kept only so that older imports still work."""

from preparation.access import can_download_task_files, can_view_submission, is_owner_of  # noqa: F401, E402

from .access import (  # noqa: F401
    facilitated_cohort_or_404,
    facilitated_workshop_or_404,
    facilitated_workshops,
    is_facilitator,
    is_facilitator_of,
    is_organizer,
    participation_or_404,
)
