"""Who may see which workshop, group and session. Checked on the server for every page and download.

- A workshop's public programme (its sessions and agendas, no groups, no people) is open to everyone.
- A group's session (an occurrence) is seen by the group's active participants and by the workshop's facilitators
  and organizers; everyone else gets a 404.
- A group's session is run (run-sheet, attendance, live tools) by the workshop's facilitators and organizers:
  ``facilitated_occurrence_or_404``.
- Facilitate and the facilitators' schedule are for facilitators (of their own workshops) and organizers (of all).
- Workshops, sessions, groups and agendas are changed by organizers only (admin, programme imports); facilitators
  read them.
"""

from django.http import Http404
from django.utils.translation import gettext as _

from common.access import Viewer, as_id, viewer_for, viewer_of

from . import selectors
from .models import SessionOccurrence


def occurrence_for(request, pk: int):
    """The occurrence with its programme, if the signed-in person may see it; 404 otherwise."""
    occurrence = selectors.occurrence_with_programme(pk)
    if occurrence is None or not viewer_of(request).can_see(occurrence):
        raise Http404(_("No such session."))
    return occurrence


def facilitated_occurrence_or_404(who, pk) -> SessionOccurrence:
    """An occurrence of a workshop the viewer (or user) facilitates (organizers included), or 404."""
    pk = as_id(pk)
    occurrence = None
    if pk is not None:
        occurrence = SessionOccurrence.objects.select_related("session__workshop", "cohort").filter(pk=pk).first()
    if occurrence is None or not viewer_for(who).facilitates(occurrence.session.workshop_id):
        raise Http404(_("No such session."))
    return occurrence


def can_edit(viewer: Viewer, obj) -> bool:
    """Workshops, sessions, groups and agendas are changed by organizers only (admin, programme imports)."""
    return viewer.is_organizer
