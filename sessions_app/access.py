"""Who may see which workshop, group and session. Checked on the server for every page and download.

- A workshop's public programme (its sessions and agendas, no groups, no people) is open to everyone.
- A group's session (an occurrence) is seen by the group's active participants and by the workshop's facilitators
  and organizers; everyone else gets a 404.
- Facilitate and the facilitators' schedule are for facilitators (of their own workshops) and organizers (of all).
- Workshops, sessions, groups and agendas are changed by organizers only (admin, programme imports); facilitators
  read them.
"""

from django.http import Http404
from django.utils.translation import gettext as _

from common.access import Viewer, viewer_of

from . import selectors


def occurrence_for(request, pk: int):
    """The occurrence with its programme, if the signed-in person may see it; 404 otherwise."""
    occurrence = selectors.occurrence_with_programme(pk)
    if occurrence is None or not viewer_of(request).can_see(occurrence):
        raise Http404(_("No such session."))
    return occurrence


def can_edit(viewer: Viewer, obj) -> bool:
    """Workshops, sessions, groups and agendas are changed by organizers only (admin, programme imports)."""
    return viewer.is_organizer
