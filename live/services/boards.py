"""Brainstorming boards: ideas, votes and headings."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from participants.models import Participant
from sessions_app.models import AgendaItem, SessionOccurrence

from ..models import (
    IDEA_MAX_LENGTH,
    Board,
    BoardHeading,
    Idea,
    IdeaVote,
)
from . import LiveError, activity_text, check_taking_part, start_activity


def start_board(occurrence: SessionOccurrence, item: AgendaItem, *, prompt: str) -> Board:
    return start_activity(Board, occurrence, item, prompt=activity_text(prompt, item))


def post_idea(board: Board, participant: Participant, text: str) -> Idea:
    check_taking_part(board, participant)
    if not board.is_open:
        raise LiveError(_("The board is closed; it no longer takes ideas."))
    text = " ".join((text or "").split())
    if not text:
        raise LiveError(_("Write your idea first."))
    if len(text) > IDEA_MAX_LENGTH:
        raise LiveError(
            _("Keep an idea under %(most)s characters (it has %(length)s).")
            % {"most": IDEA_MAX_LENGTH, "length": len(text)}
        )
    return Idea.objects.create(board=board, author=participant, text=text)


def toggle_idea_vote(idea: Idea, participant: Participant) -> bool:
    """Vote for an idea, or take the vote back. Returns whether the participant now votes for it."""
    check_taking_part(idea.board, participant)
    if not idea.board.is_open:
        raise LiveError(_("The board is closed; votes are final."))
    deleted, _by_model = IdeaVote.objects.filter(idea=idea, participant=participant).delete()
    if deleted:
        return False
    try:
        with transaction.atomic():
            IdeaVote.objects.create(idea=idea, participant=participant)
    except IntegrityError:
        pass  # a double click: the vote is there either way
    return True


def remove_idea(idea: Idea, *, participant: Participant | None = None, as_facilitator: bool = False) -> None:
    if not as_facilitator:
        if participant is None or idea.author_id != participant.pk:
            raise LiveError(_("You can only remove your own ideas."))
        if not idea.board.is_open:
            raise LiveError(_("The board is closed; ideas stay as they are."))
    idea.delete()


def add_heading(board: Board, title: str) -> BoardHeading:
    title = " ".join((title or "").split())[:120]
    if not title:
        raise LiveError(_("Give the heading a title."))
    if BoardHeading.objects.filter(board=board, title__iexact=title).exists():
        raise LiveError(_("The board already has that heading."))
    order = (BoardHeading.objects.filter(board=board).aggregate(m=Max("order"))["m"] or 0) + 1
    return BoardHeading.objects.create(board=board, title=title, order=order)


def delete_heading(heading: BoardHeading) -> None:
    """The heading goes; its ideas go back to "not grouped yet"."""
    heading.delete()


def file_idea(idea: Idea, heading: BoardHeading | None) -> Idea:
    if heading is not None and heading.board_id != idea.board_id:
        raise LiveError(_("That heading belongs to another board."))
    idea.heading = heading
    idea.save(update_fields=["heading"])
    return idea


def set_board_open(board: Board, is_open: bool) -> Board:
    board.is_open = is_open
    board.save(update_fields=["is_open"])
    return board
