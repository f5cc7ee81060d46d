"""Debates: sides and closing statements."""

from __future__ import annotations

import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from participants.models import Participant
from participants.selectors import group_participants
from sessions_app.models import AgendaItem, SessionOccurrence

from ..breakout import draw_rooms
from ..models import (
    STATEMENT_MAX_LENGTH,
    Debate,
    DebateSide,
)
from ..selectors.breakout import drawable_participants
from . import MAX_SEED, LiveError, activity_text, check_taking_part, start_activity


def start_debate(occurrence: SessionOccurrence, item: AgendaItem, *, motion: str) -> Debate:
    return start_activity(Debate, occurrence, item, motion=activity_text(motion, item))


def draw_debate_sides(debate: Debate, *, seed: int | None = None) -> tuple[int, int]:
    """Split the participants present into two balanced sides at random. Returns (for, against)."""
    if DebateSide.objects.filter(debate=debate).exclude(closing_statement="").exists():
        raise LiveError(_("Closing statements have been written; change sides one by one instead of redrawing."))
    people, _absent = drawable_participants(debate.occurrence)
    if len(people) < 2:
        raise LiveError(_("A debate needs at least two participants present."))
    seed = seed if seed is not None else secrets.randbelow(MAX_SEED) + 1
    result = draw_rooms({p.pk: p.country.code for p in people}, rooms=2, seed=seed)
    sides = [DebateSide.Side.FOR, DebateSide.Side.AGAINST]
    with transaction.atomic():
        DebateSide.objects.filter(debate=debate).delete()
        DebateSide.objects.bulk_create(
            DebateSide(debate=debate, participant_id=person, side=side, assigned_by=DebateSide.AssignedBy.DRAW)
            for side, members in zip(sides, result.rooms, strict=True)
            for person in members
        )
    return len(result.rooms[0]), len(result.rooms[1])


def set_debate_sides(debate: Debate, sides: dict[int, str]) -> list[str]:
    """The facilitator's choice of sides ("" takes someone off). Returns notes about what was kept."""
    participants = {p.pk: p for p in group_participants(debate.occurrence.cohort_id)}
    existing = {s.participant_id: s for s in DebateSide.objects.filter(debate=debate)}
    notes, to_create, to_update, to_delete = [], [], [], []
    for participant_id, side in sides.items():
        if participant_id not in participants:
            raise LiveError(_("Some of the people in the form are not in this group any more; reload the page."))
        current = existing.get(participant_id)
        if side and side not in DebateSide.Side.values:
            raise LiveError(_("“%(side)s” is not a side.") % {"side": side})
        if not side:
            if current is None:
                continue
            if current.closing_statement:
                notes.append(
                    _("%(name)s keeps a side: they wrote a closing statement.")
                    % {"name": participants[participant_id].user}
                )
                continue
            to_delete.append(current.pk)
        elif current is None:
            to_create.append(
                DebateSide(
                    debate=debate,
                    participant_id=participant_id,
                    side=side,
                    assigned_by=DebateSide.AssignedBy.FACILITATOR,
                )
            )
        elif current.side != side:
            current.side, current.assigned_by = side, DebateSide.AssignedBy.FACILITATOR
            to_update.append(current)
    with transaction.atomic():
        DebateSide.objects.filter(pk__in=to_delete).delete()
        DebateSide.objects.bulk_create(to_create)
        DebateSide.objects.bulk_update(to_update, ["side", "assigned_by"])
    return notes


def save_closing_statement(debate: Debate, participant: Participant, text: str) -> DebateSide:
    check_taking_part(debate, participant)
    if not debate.statements_open:
        raise LiveError(_("Closing statements are closed."))
    side = DebateSide.objects.filter(debate=debate, participant=participant).first()
    if side is None:
        raise LiveError(_("You have no side in this debate yet; the facilitator assigns them."))
    text = (text or "").strip()
    if len(text) > STATEMENT_MAX_LENGTH:
        raise LiveError(
            _("Keep your statement under %(most)s characters (it has %(length)s).")
            % {"most": STATEMENT_MAX_LENGTH, "length": len(text)}
        )
    side.closing_statement, side.statement_updated_at = text, timezone.now()
    side.save(update_fields=["closing_statement", "statement_updated_at"])
    return side


def set_statements_open(debate: Debate, is_open: bool) -> Debate:
    debate.statements_open = is_open
    debate.save(update_fields=["statements_open"])
    return debate
