"""The facilitator's run-sheet: where the occurrence stands in its agenda and which tools each item has."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Count, prefetch_related_objects
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from attendance.selectors import attendance_summary
from sessions_app.models import AgendaItem, SessionOccurrence
from sessions_app.selectors import agenda_prefetch

from ..models import (
    Board,
    BreakoutDraw,
    Debate,
    KeyMessages,
    PollRun,
)
from .session_panel import PANEL_LIVE_MARGIN


@dataclass
class AgendaPosition:
    """Where an occurrence stands in its agenda at ``now``."""

    now: datetime
    phase: str  # "before", "running" or "after"
    starts_at: datetime
    ends_at: datetime
    current: AgendaItem | None = None
    next: AgendaItem | None = None
    current_starts_at: datetime | None = None
    current_ends_at: datetime | None = None
    next_starts_at: datetime | None = None

    @property
    def time_left(self) -> timedelta | None:
        return self.current_ends_at - self.now if self.current_ends_at else None

    @property
    def until_next(self) -> timedelta | None:
        return self.next_starts_at - self.now if self.next_starts_at else None

    @property
    def until_start(self) -> timedelta:
        return self.starts_at - self.now

    @property
    def current_percent(self) -> int:
        if not self.current:
            return 0
        total = (self.current_ends_at - self.current_starts_at).total_seconds()
        return max(0, min(100, round(100 * (self.now - self.current_starts_at).total_seconds() / total)))


def agenda_position(occurrence: SessionOccurrence, items, now: datetime | None = None) -> AgendaPosition:
    """The current item (the one whose clock span holds ``now``) and the next one to start."""
    now = now or timezone.now()
    items = sorted(items, key=lambda item: item.offset_minutes)
    start, end = occurrence.starts_at, occurrence.ends_at
    if now < start:
        phase = "before"
    elif now >= end:
        phase = "after"
    else:
        phase = "running"
    position = AgendaPosition(now=now, phase=phase, starts_at=start, ends_at=end)
    if phase == "after":
        return position
    for item in items:
        item_start = start + timedelta(minutes=item.offset_minutes)
        item_end = start + timedelta(minutes=item.end_offset_minutes)
        if item_start <= now < item_end:
            position.current, position.current_starts_at, position.current_ends_at = item, item_start, item_end
        elif item_start > now and position.next is None:
            position.next, position.next_starts_at = item, item_start
    return position


@dataclass
class Tool:
    label: str
    url: str
    state: str = ""  # a short status shown beside the link, e.g. "open", "3 rooms published"


@dataclass
class ToolState:
    """What already exists for an occurrence's items, read once for the whole agenda."""

    boards: dict[int, Board] = field(default_factory=dict)
    debates: dict[int, Debate] = field(default_factory=dict)
    draws: dict[int, list[BreakoutDraw]] = field(default_factory=dict)
    open_poll_runs: list[PollRun] = field(default_factory=list)  # with vote_count

    def open_polls_of(self, item_id: int) -> int:
        return sum(1 for run in self.open_poll_runs if run.poll.agenda_item_id == item_id)


def tool_state(occurrence: SessionOccurrence) -> ToolState:
    state = ToolState()
    state.boards = {board.agenda_item_id: board for board in Board.objects.filter(occurrence=occurrence)}
    state.debates = {debate.agenda_item_id: debate for debate in Debate.objects.filter(occurrence=occurrence)}
    for draw in BreakoutDraw.objects.filter(occurrence=occurrence).order_by("-created_at"):
        state.draws.setdefault(draw.agenda_item_id, []).append(draw)
    state.open_poll_runs = list(
        PollRun.objects.filter(occurrence=occurrence, status=PollRun.Status.OPEN)
        .select_related("poll")
        .annotate(vote_count=Count("votes"))
        .order_by("opened_at")
    )
    return state


def has_breakout(item: AgendaItem) -> bool:
    return item.kind == AgendaItem.Kind.BREAKOUT or bool(item.breakout_rooms)


def item_tools(occurrence: SessionOccurrence, item: AgendaItem, state: ToolState) -> list[Tool]:
    """The live tools that serve an agenda item, most specific first; attendance is always there."""
    tools = []
    if has_breakout(item):
        draws = state.draws.get(item.pk, [])
        published = sum(1 for draw in draws if draw.is_published)
        status = _("draft ready") if any(not d.is_published for d in draws) else ""
        if published:
            status = ngettext("%(count)s published", "%(count)s published", published) % {"count": published}
        tools.append(Tool(_("Breakout rooms"), reverse("live:breakout", args=[occurrence.pk, item.pk]), status))
    if item.kind == AgendaItem.Kind.POLL:
        open_runs = state.open_polls_of(item.pk)
        url = reverse("live:polls", args=[occurrence.pk]) + f"#item-{item.pk}"
        open_label = ngettext("%(count)s open", "%(count)s open", open_runs) % {"count": open_runs}
        tools.append(Tool(_("Poll"), url, open_label if open_runs else ""))
    if item.kind == AgendaItem.Kind.BRAINSTORM:
        board = state.boards.get(item.pk)
        url = board.get_absolute_url() if board else reverse("live:board_start", args=[occurrence.pk, item.pk])
        tools.append(Tool(_("Board"), url, (_("open") if board.is_open else _("closed")) if board else ""))
    if item.kind == AgendaItem.Kind.DEBATE:
        debate = state.debates.get(item.pk)
        url = debate.get_absolute_url() if debate else reverse("live:debate_start", args=[occurrence.pk, item.pk])
        tools.append(Tool(_("Debate"), url, _("sides set") if debate else ""))
    if item.kind == AgendaItem.Kind.CONCLUSION:
        tools.append(Tool(_("Key messages"), reverse("live:key_messages", args=[occurrence.pk])))
    tools.append(Tool(_("Attendance"), reverse("attendance:attendance", args=[occurrence.pk])))
    return tools


def with_agenda(occurrence: SessionOccurrence) -> SessionOccurrence:
    """Loads the occurrence's agenda items and their speakers (two queries)."""
    prefetch_related_objects([occurrence.session], agenda_prefetch())
    return occurrence


def runsheet(occurrence: SessionOccurrence, now: datetime | None = None) -> dict:
    """Everything the run-sheet shows; the agenda should be loaded first (``with_agenda``)."""
    items = list(occurrence.session.agenda_items.all())
    position = agenda_position(occurrence, items, now)
    state = tool_state(occurrence)
    rows = [
        {
            "item": item,
            "starts_at": item.starts_at(occurrence),
            "ends_at": item.ends_at(occurrence),
            "tools": item_tools(occurrence, item, state),
            "item_tools": item_tools(occurrence, item, state)[:-1],  # the agenda rows leave out attendance
            "is_current": item == position.current,
            "is_next": item == position.next,
            "is_past": item.ends_at(occurrence) <= position.now,
        }
        for item in items
    ]
    by_item = {row["item"].pk: row for row in rows}
    # Every 10 s while the session is on (or about to be); once a minute on the days around it.
    near = occurrence.starts_at - PANEL_LIVE_MARGIN <= position.now <= occurrence.ends_at
    attendance = attendance_summary(occurrence)
    follow_up = None
    if position.phase == "after":  # what the after-session banner says is still to do
        follow_up = {
            "attendance": attendance.complete,
            "key_messages": KeyMessages.objects.filter(occurrence=occurrence).exists(),
        }
    return {
        "refresh_seconds": 10 if near else 60,
        "follow_up": follow_up,
        "position": position,
        "rows": rows,
        "current": by_item.get(position.current.pk) if position.current else None,
        "next": by_item.get(position.next.pk) if position.next else None,
        "attendance": attendance,
        "open_poll_runs": state.open_poll_runs,
    }
