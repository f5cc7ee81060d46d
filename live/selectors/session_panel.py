"""What the live tools add to a group's session page, for its participants."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Exists, OuterRef, Q, Subquery, Value
from django.utils import timezone

from participants.models import Participant
from sessions_app.models import AgendaItem, SessionOccurrence

from ..models import (
    Board,
    BreakoutAssignment,
    BreakoutDraw,
    Debate,
    DebateSide,
    KeyMessages,
    PollRun,
    PollVote,
)


@dataclass
class MyRoom:
    item: AgendaItem
    name: str
    roommates: list[Participant]


def my_rooms(occurrence: SessionOccurrence, participant: Participant) -> list[MyRoom]:
    """The participant's room in the latest published draw of each item of the occurrence, with roommates."""
    mine = BreakoutAssignment.objects.filter(
        draw_id=OuterRef("draw_id"), participant=participant, room_number=OuterRef("room_number")
    )
    rows = (
        BreakoutAssignment.objects.filter(draw__occurrence=occurrence, draw__status=BreakoutDraw.Status.PUBLISHED)
        .filter(Exists(mine))
        .select_related("participant__user", "participant__country", "draw__agenda_item")
        .order_by("draw__agenda_item__offset_minutes", "-draw__published_at", "participant__user__last_name")
    )
    latest: dict[int, int] = {}
    rooms: dict[int, MyRoom] = {}
    for row in rows:
        item = row.draw.agenda_item
        latest.setdefault(item.pk, row.draw_id)
        if latest[item.pk] != row.draw_id:
            continue  # an earlier round of the same item
        room = rooms.setdefault(item.pk, MyRoom(item, row.room_name, []))
        if row.participant_id != participant.pk:
            room.roommates.append(row.participant)
    return list(rooms.values())


# The participant's panel refreshes itself from a little before the session until a while after it.
PANEL_LIVE_MARGIN = timedelta(minutes=30)


def panel_is_live(occurrence: SessionOccurrence, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return occurrence.starts_at - PANEL_LIVE_MARGIN <= now <= occurrence.ends_at + PANEL_LIVE_MARGIN


def session_panel(occurrence: SessionOccurrence, participant: Participant | None) -> dict:
    """What the live tools add to a group's session page.

    One query says which activities exist (and brings the key messages); only those are then read,
    so a session page without live activity pays a single query.
    """
    published_mine = BreakoutAssignment.objects.filter(
        draw__occurrence=OuterRef("pk"), draw__status=BreakoutDraw.Status.PUBLISHED, participant=participant
    )
    shown_polls = PollRun.objects.filter(occurrence=OuterRef("pk")).filter(
        Q(status=PollRun.Status.OPEN) | Q(results_visible=True)
    )
    found = (
        SessionOccurrence.objects.filter(pk=occurrence.pk)
        .annotate(
            key_messages_text=Subquery(KeyMessages.objects.filter(occurrence=OuterRef("pk")).values("text")[:1]),
            has_rooms=Exists(published_mine) if participant else Value(False),
            has_polls=Exists(shown_polls) if participant else Value(False),
            has_boards=Exists(Board.objects.filter(occurrence=OuterRef("pk"))) if participant else Value(False),
            has_debates=Exists(Debate.objects.filter(occurrence=OuterRef("pk"))) if participant else Value(False),
        )
        .values("key_messages_text", "has_rooms", "has_polls", "has_boards", "has_debates")
        .first()
    ) or {}
    text = found.get("key_messages_text")
    panel = {
        "key_messages": KeyMessages(occurrence=occurrence, text=text) if text else None,
        "rooms": [],
        "polls": [],
        "boards": [],
        "debates": [],
    }
    if found.get("has_rooms"):
        panel["rooms"] = my_rooms(occurrence, participant)
    if found.get("has_polls"):
        panel["polls"] = list(
            PollRun.objects.filter(occurrence=occurrence)
            .filter(Q(status=PollRun.Status.OPEN) | Q(results_visible=True))
            .select_related("poll")
            .annotate(voted=Exists(PollVote.objects.filter(run=OuterRef("pk"), participant=participant)))
            .order_by("poll__order", "poll__pk")
        )
    if found.get("has_boards"):
        panel["boards"] = list(Board.objects.filter(occurrence=occurrence).annotate(idea_count=Count("ideas")))
    if found.get("has_debates"):
        my_side = DebateSide.objects.filter(debate=OuterRef("pk"), participant=participant).values("side")[:1]
        panel["debates"] = list(Debate.objects.filter(occurrence=occurrence).annotate(my_side=Subquery(my_side)))
    return panel
