"""Breakout rooms: draw, publish, discard."""

from __future__ import annotations

import secrets

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sessions_app.models import AgendaItem, SessionOccurrence

from ..breakout import CountryRule, DrawError, draw_rooms, room_count_for_size
from ..models import (
    BreakoutAssignment,
    BreakoutDraw,
)
from ..selectors.breakout import drawable_participants, past_pairs
from . import MAX_SEED, LiveError


def _draw_error_text(exc: DrawError) -> str:
    """The facilitator's words for a draw that cannot be made (breakout.py keeps English for logs and tests)."""
    if exc.reason == "too_few_people":
        return ngettext(
            "%(people)s participant cannot fill %(rooms)s rooms: choose fewer rooms or a larger room size.",
            "%(people)s participants cannot fill %(rooms)s rooms: choose fewer rooms or a larger room size.",
            exc.people,
        ) % {"people": exc.people, "rooms": exc.rooms}
    if exc.reason == "no_room":
        return _("A draw needs at least one room.")
    return _("A room holds at least one person.")


def draw_breakout(
    occurrence: SessionOccurrence,
    item: AgendaItem,
    *,
    by,
    rooms: int | None = None,
    room_size: int | None = None,
    country_rule: str = CountryRule.MIX,
    avoid_repeat_pairs: bool = True,
    seed: int | None = None,
) -> BreakoutDraw:
    """Draw (or redraw) the item's draft rooms. Published draws are never touched."""
    if item.session_id != occurrence.session_id:
        raise LiveError(_("That agenda item belongs to another session."))
    people, _absent = drawable_participants(occurrence)
    if not people:
        raise LiveError(_("Nobody to draw: the group has no participant marked present."))
    if room_size:
        try:
            rooms = room_count_for_size(len(people), room_size)
        except DrawError as exc:
            raise LiveError(_draw_error_text(exc)) from exc
    rooms = rooms or item.breakout_rooms
    if not rooms:
        raise LiveError(_("Say how many rooms, or how many people per room."))
    if seed is None:
        seed = secrets.randbelow(MAX_SEED) + 1
    past = past_pairs(occurrence.cohort_id) if avoid_repeat_pairs else set()
    try:
        result = draw_rooms(
            {p.pk: p.country.code for p in people}, rooms=rooms, seed=seed, rule=country_rule, past_pairs=past
        )
    except DrawError as exc:
        raise LiveError(_draw_error_text(exc)) from exc
    try:
        with transaction.atomic():
            BreakoutDraw.objects.filter(
                occurrence=occurrence, agenda_item=item, status=BreakoutDraw.Status.DRAFT
            ).delete()
            draw = BreakoutDraw.objects.create(
                occurrence=occurrence,
                agenda_item=item,
                seed=seed,
                room_count=rooms,
                room_size=room_size or None,
                country_rule=CountryRule(country_rule).value,
                avoid_repeat_pairs=avoid_repeat_pairs,
                repeated_pairs=result.repeated_pairs,
                country_conflicts=result.country_conflicts,
                created_by=by,
            )
            BreakoutAssignment.objects.bulk_create(
                BreakoutAssignment(draw=draw, participant_id=person, room_number=number)
                for number, members in enumerate(result.rooms, start=1)
                for person in members
            )
    except IntegrityError as exc:
        raise LiveError(_("Someone else drew rooms for this item at the same moment; reload the page.")) from exc
    return draw


def publish_draw(draw: BreakoutDraw) -> BreakoutDraw:
    updated = BreakoutDraw.objects.filter(pk=draw.pk, status=BreakoutDraw.Status.DRAFT).update(
        status=BreakoutDraw.Status.PUBLISHED, published_at=timezone.now()
    )
    if not updated:
        raise LiveError(_("This draw is already published; published draws are kept as they are."))
    draw.refresh_from_db()
    return draw


def discard_draw(draw: BreakoutDraw) -> None:
    deleted, _by_model = BreakoutDraw.objects.filter(pk=draw.pk, status=BreakoutDraw.Status.DRAFT).delete()
    if not deleted:
        raise LiveError(_("Published draws are kept for the record and cannot be discarded."))
