"""Who may see and change attendance and certificates. Every view asks these on the server; refusals are 404s.

- A group's attendance (the sheet, the attendee-report import, the downloads) is taken by the workshop's
  facilitators and organizers (``sessions_app.access.facilitated_occurrence_or_404``,
  ``participants.access.facilitated_cohort_or_404``).
- A participant sees their own attendance and certificate only (``participants.access.participation_or_404``).
- The group's certificates are seen by its facilitators and organizers; only organizers issue them all at once
  (the zip), since that signs in the organizers' name.
- Anyone holding a certificate's code can verify it; a wrong code reveals nothing.
"""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _

from common.access import Viewer, viewer_for
from participants.access import facilitated_cohort_or_404


def certificates_issuer_cohort_or_404(who, cohort_pk):
    """A group whose certificates the viewer may issue all at once: organizers only, or 404."""
    cohort = facilitated_cohort_or_404(who, cohort_pk)
    if not viewer_for(who).is_organizer:
        raise Http404(_("Organizers download certificates."))
    return cohort


def can_edit(viewer: Viewer, obj) -> bool:
    """Attendance is recorded by the workshop's facilitators and organizers; certificates are issued by the portal
    (from attendance) and revoked by organizers."""
    occurrence = getattr(obj, "occurrence", None)
    if occurrence is not None:
        return viewer.facilitates(occurrence.session.workshop_id)
    return viewer.is_organizer
