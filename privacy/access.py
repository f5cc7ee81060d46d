"""Who sees which personal data (the only place these rules are written).

- "My data" (the zip of everything the portal holds about a person) is for the signed-in person, about themselves
  only: the address names nobody, so there is no way to ask for another person's data.
- Retention and erasure are run by organizers, in the admin and by the scheduled command; nobody edits them here.
"""

from __future__ import annotations

from common.access import Viewer


def can_edit(viewer: Viewer, obj) -> bool:
    """Privacy records (retention, erasure) are changed by organizers only."""
    return viewer.is_organizer
