"""Who may write to which group. Refusals are 404s.

- A one-off message to a group's participants is written by the workshop's facilitators and organizers only
  (``participants.access.facilitated_cohort_or_404``); it reaches only that group's active participants.
- Reminder rules and delivery records are changed by organizers, in the admin; a participant changes only their own
  reminder preferences, on their profile.
"""

from __future__ import annotations

from common.access import Viewer
from participants.access import facilitated_cohort_or_404

from .models import OneOffMessage

__all__ = ["can_edit", "facilitated_cohort_or_404"]


def can_edit(viewer: Viewer, obj) -> bool:
    """One-off messages: the facilitators of the group's workshop. Rules and deliveries: organizers."""
    if isinstance(obj, OneOffMessage):
        return viewer.facilitates(obj.cohort.workshop_id)
    return viewer.is_organizer
