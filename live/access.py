"""Who may act on which live-session object. Every view asks these on the server; refusals are 404s.

- A group's live session (its run sheet, polls, boards, debates, breakout draws, key messages) is run
  by the workshop's facilitators and organizers: they open and close, group, publish and download.
- The group's own active participants take part: vote, post ideas and statements, see what was shared with them.
- A person who is both (a facilitator enrolled in the group) does both; everyone else gets a 404.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404
from django.utils.translation import gettext as _

from common.access import Viewer, as_id, viewer_for, viewer_of
from participants.models import Participant
from sessions_app.access import facilitated_occurrence_or_404
from sessions_app.models import AgendaItem, SessionOccurrence

from .models import Board, BreakoutDraw, Debate, Poll, PollRun


def facilitated_poll_or_404(who, pk) -> Poll:
    poll = Poll.objects.select_related("session__workshop").filter(pk=as_id(pk)).first()
    if poll is None or not viewer_for(who).facilitates(poll.session.workshop_id):
        raise Http404(_("No such poll."))
    return poll


def facilitated_draw_or_404(who, pk) -> BreakoutDraw:
    draw = BreakoutDraw.objects.select_related("agenda_item", "occurrence__cohort").filter(pk=as_id(pk)).first()
    if draw is None:
        raise Http404(_("No such draw."))
    facilitated_occurrence_or_404(who, draw.occurrence_id)
    return draw


def occurrence_item_or_404(occurrence: SessionOccurrence, item_pk: int) -> AgendaItem:
    item = AgendaItem.objects.filter(pk=item_pk, session_id=occurrence.session_id).first()
    if item is None:
        raise Http404(_("No such agenda item."))
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
    viewer = viewer_of(request)
    participant = viewer.participation if viewer.is_participant_of(occurrence.cohort_id) else None
    if viewer.facilitates(occurrence.session.workshop_id):
        return Role(is_facilitator=True, participant=participant)
    if participant is not None:
        return Role(is_facilitator=False, participant=participant)
    raise Http404(_("No such session."))


def _with_occurrence(queryset, pk):
    found = queryset.select_related("occurrence__session__workshop", "occurrence__cohort").filter(pk=pk).first()
    if found is None:
        raise Http404(_("Not found."))
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


def facilitated_run_or_404(who, pk: int) -> PollRun:
    run = _with_occurrence(PollRun.objects.select_related("poll"), pk)
    if not viewer_for(who).facilitates(run.occurrence.session.workshop_id):
        raise Http404(_("Not found."))
    return run


def can_edit(viewer: Viewer, obj) -> bool:
    """Live objects (polls, boards, debates, draws, key messages) are run by the workshop's
    facilitators and organizers; participants only add their own votes, ideas and statements."""
    occurrence = getattr(obj, "occurrence", None)
    if occurrence is not None:
        return viewer.facilitates(occurrence.session.workshop_id)
    session = getattr(obj, "session", None)
    return session is not None and viewer.facilitates(session.workshop_id)
