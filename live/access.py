"""Who may act on which live-session object. Every view asks these on the server; refusals are 404s."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404

from participants.models import Participant
from participants.permissions import is_facilitator_of
from sessions_app.models import AgendaItem, SessionOccurrence

from .models import Board, Debate, PollRun


def as_id(value) -> int | None:
    """A primary key from a URL, form or query string; None for anything that is not one."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def facilitated_occurrence_or_404(user, pk) -> SessionOccurrence:
    """An occurrence of a workshop the user facilitates (organizers included), or 404."""
    pk = as_id(pk)
    occurrence = None
    if pk is not None:
        occurrence = SessionOccurrence.objects.select_related("session__workshop", "cohort").filter(pk=pk).first()
    if occurrence is None or not is_facilitator_of(user, occurrence.session.workshop):
        raise Http404("No such session.")
    return occurrence


def occurrence_item_or_404(occurrence: SessionOccurrence, item_pk: int) -> AgendaItem:
    item = AgendaItem.objects.filter(pk=item_pk, session_id=occurrence.session_id).first()
    if item is None:
        raise Http404("No such agenda item.")
    return item


@dataclass
class Role:
    """How the signed-in person stands towards one group's live object."""

    is_facilitator: bool
    participant: Participant | None

    @property
    def can_take_part(self) -> bool:
        return self.participant is not None


def role_for(request, occurrence: SessionOccurrence) -> Role:
    """Facilitators of the workshop, or participants of the occurrence's own group; 404 for everyone else."""
    participation = request.participation
    own_group = participation is not None and participation.cohort_id == occurrence.cohort_id
    if is_facilitator_of(request.user, occurrence.session.workshop):
        return Role(is_facilitator=True, participant=participation if own_group else None)
    if own_group:
        return Role(is_facilitator=False, participant=participation)
    raise Http404("No such session.")


def _with_occurrence(queryset, pk):
    found = queryset.select_related("occurrence__session__workshop", "occurrence__cohort").filter(pk=pk).first()
    if found is None:
        raise Http404("Not found.")
    return found


def board_for(request, pk: int) -> tuple[Board, Role]:
    board = _with_occurrence(Board.objects.select_related("agenda_item"), pk)
    return board, role_for(request, board.occurrence)


def debate_for(request, pk: int) -> tuple[Debate, Role]:
    debate = _with_occurrence(Debate.objects.select_related("agenda_item"), pk)
    return debate, role_for(request, debate.occurrence)


def poll_run_for(request, pk: int) -> tuple[PollRun, Role]:
    run = _with_occurrence(PollRun.objects.select_related("poll"), pk)
    return run, role_for(request, run.occurrence)


def facilitated_run_or_404(user, pk: int) -> PollRun:
    run = _with_occurrence(PollRun.objects.select_related("poll"), pk)
    if not is_facilitator_of(user, run.occurrence.session.workshop):
        raise Http404("Not found.")
    return run
