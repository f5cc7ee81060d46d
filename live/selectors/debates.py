"""Debates: who argues which side."""

from __future__ import annotations

from ..models import (
    Debate,
    DebateSide,
)


def debate_sides(debate: Debate) -> dict:
    sides = list(
        DebateSide.objects.filter(debate=debate)
        .select_related("participant__user", "participant__country")
        .order_by("participant__user__last_name", "participant__user__first_name")
    )
    return {
        "for": [s for s in sides if s.side == DebateSide.Side.FOR],
        "against": [s for s in sides if s.side == DebateSide.Side.AGAINST],
        "by_participant": {s.participant_id: s for s in sides},
    }
