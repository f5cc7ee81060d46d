"""Brainstorming boards: ideas by heading, and the board's export."""

from __future__ import annotations

from django.db.models import Count, Exists, F, OuterRef

from participants.models import Participant

from ..models import (
    Board,
    BoardHeading,
    Idea,
    IdeaVote,
)


def board_content(board: Board, viewer: Participant | None) -> dict:
    """Headings with their ideas, the ungrouped ideas, vote counts and which ideas the viewer voted for."""
    ideas = (
        Idea.objects.filter(board=board)
        .select_related("author__user", "author__country")
        .annotate(vote_count=Count("votes"))
        .order_by("-vote_count", "created_at", "pk")
    )
    if viewer is not None:
        ideas = ideas.annotate(voted=Exists(IdeaVote.objects.filter(idea=OuterRef("pk"), participant=viewer)))
    ideas = list(ideas)
    headings = list(BoardHeading.objects.filter(board=board))
    grouped = {heading.pk: [] for heading in headings}
    ungrouped = []
    for idea in ideas:
        grouped.get(idea.heading_id, ungrouped).append(idea)
    return {
        "headings": [(heading, grouped[heading.pk]) for heading in headings],
        "ungrouped": ungrouped,
        "heading_list": headings,
        "idea_count": len(ideas),
    }


def board_export_rows(board: Board):
    ideas = (
        Idea.objects.filter(board=board)
        .select_related("author__user", "author__country", "heading")
        .annotate(vote_count=Count("votes"))
        # Grouped ideas first, heading by heading; the ungrouped ones last on every database.
        .order_by(
            F("heading__order").asc(nulls_last=True), F("heading_id").asc(nulls_last=True), "-vote_count", "created_at"
        )
    )
    yield from ideas.iterator(chunk_size=500)
