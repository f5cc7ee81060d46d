"""Who may see which occurrence. Checked on the server for every page and download."""

from django.http import Http404

from participants.permissions import is_facilitator_of

from . import selectors


def occurrence_for(request, pk: int):
    """The occurrence with its programme, if the signed-in person may see it; 404 otherwise."""
    occurrence = selectors.occurrence_with_programme(pk)
    if occurrence is None:
        raise Http404("No such session.")
    participation = request.participation
    if participation is not None and participation.cohort_id == occurrence.cohort_id:
        return occurrence
    if is_facilitator_of(request.user, occurrence.session.workshop):
        return occurrence
    raise Http404("No such session.")
