"""Breakout rooms: who can be drawn, who already met, the rooms of a draw."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from attendance.selectors import ATTENDED, attendance_statuses
from participants.models import Participant
from participants.selectors import group_participants
from sessions_app.models import AgendaItem, SessionOccurrence

from ..breakout import pair
from ..models import (
    BreakoutAssignment,
    BreakoutDraw,
)


def drawable_participants(occurrence: SessionOccurrence) -> tuple[list[Participant], bool]:
    """Active participants of the group; once attendance is taken, only those marked present or partly.

    "Partly" is drawn too: it is how a late arrival is marked, and they are in the meeting.
    """
    participants = list(group_participants(occurrence.cohort_id))
    statuses = attendance_statuses(occurrence)
    if not statuses:
        return participants, False
    return [p for p in participants if statuses.get(p.pk) in ATTENDED], True


def past_pairs(cohort_id: int, exclude_draw_id: int | None = None) -> set[tuple[int, int]]:
    """Pairs of participants who shared a room in a published draw of the group."""
    rows = (
        BreakoutAssignment.objects.filter(
            draw__occurrence__cohort_id=cohort_id, draw__status=BreakoutDraw.Status.PUBLISHED
        )
        .exclude(draw_id=exclude_draw_id)
        .values_list("draw_id", "room_number", "participant_id")
    )
    rooms = defaultdict(list)
    for draw_id, room_number, participant_id in rows:
        rooms[(draw_id, room_number)].append(participant_id)
    return {pair(a, b) for members in rooms.values() for i, a in enumerate(members) for b in members[i + 1 :]}


@dataclass
class Room:
    number: int
    name: str
    members: list[Participant]


def draw_rooms_of(draw: BreakoutDraw) -> list[Room]:
    assignments = draw.assignments.select_related("participant__user", "participant__country").order_by(
        "room_number", "participant__user__last_name", "participant__user__first_name"
    )
    rooms: dict[int, Room] = {}
    for assignment in assignments:
        room = rooms.setdefault(assignment.room_number, Room(assignment.room_number, assignment.room_name, []))
        room.members.append(assignment.participant)
    return sorted(rooms.values(), key=lambda room: room.number)


def webex_rows(draw: BreakoutDraw) -> list[tuple[str, str]]:
    return [(member.user.email, room.name) for room in draw_rooms_of(draw) for member in room.members]


def item_draws(occurrence: SessionOccurrence, item: AgendaItem) -> tuple[BreakoutDraw | None, list[BreakoutDraw]]:
    """The draft draw of an item (if any) and its published draws, newest first."""
    draws = list(
        BreakoutDraw.objects.filter(occurrence=occurrence, agenda_item=item)
        .select_related("created_by")
        .order_by("-created_at")
    )
    draft = next((d for d in draws if not d.is_published), None)
    return draft, [d for d in draws if d.is_published]
