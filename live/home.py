"""What the live tools put on the participant's home: open polls, boards and debates of a session that is on."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Subquery
from django.urls import reverse
from django.utils.translation import gettext as _

from common.registry import HomeItem, Urgency
from sessions_app.selectors import viewer_occurrences

from .models import Board, Debate, DebateSide, PollRun, PollVote
from .selectors.session_panel import PANEL_LIVE_MARGIN


def _session_detail(occurrence) -> str:
    return _("Live in session %(number)s: %(title)s") % {
        "number": occurrence.session.number,
        "title": occurrence.session.title,
    }


def live_items(viewer) -> list[HomeItem]:
    """Activities open right now in the viewer's own group's session (three queries while one is on, else none)."""
    participation, now = viewer.participation, viewer.now
    occurrences = {
        o.pk: o
        for o in viewer_occurrences(viewer)
        if o.starts_at <= now + PANEL_LIVE_MARGIN and o.ends_at >= now - PANEL_LIVE_MARGIN
    }
    if not occurrences:
        return []
    items = []
    runs = (
        PollRun.objects.filter(occurrence__in=list(occurrences), status=PollRun.Status.OPEN)
        .select_related("poll")
        .annotate(voted=Exists(PollVote.objects.filter(run=OuterRef("pk"), participant=participation)))
        .order_by("poll__order", "poll__pk")
    )
    for run in runs:
        items.append(
            HomeItem(
                kind="poll",
                kind_label=_("Poll"),
                title=run.poll.question,
                url=reverse("live:poll_vote", args=[run.pk]),
                status="voted" if run.voted else "open",
                status_label=_("You voted") if run.voted else _("Open now"),
                urgency=Urgency.DONE if run.voted else Urgency.NOW,
                detail=_session_detail(occurrences[run.occurrence_id]),
                action_label=_("See the poll") if run.voted else _("Vote"),
            )
        )
    for board in Board.objects.filter(occurrence__in=list(occurrences), is_open=True).order_by(
        "agenda_item__offset_minutes", "pk"
    ):
        items.append(
            HomeItem(
                kind="board",
                kind_label=_("Board"),
                title=board.prompt,
                url=reverse("live:board", args=[board.pk]),
                status="open",
                status_label=_("Open now"),
                urgency=Urgency.NOW,
                detail=_session_detail(occurrences[board.occurrence_id]),
                action_label=_("Add ideas"),
            )
        )
    my_side = DebateSide.objects.filter(debate=OuterRef("pk"), participant=participation).values("side")[:1]
    debates = (
        Debate.objects.filter(occurrence__in=list(occurrences), statements_open=True)
        .annotate(my_side=Subquery(my_side))
        .order_by("agenda_item__offset_minutes", "pk")
    )
    for debate in debates:
        items.append(
            HomeItem(
                kind="debate",
                kind_label=_("Debate"),
                title=debate.motion,
                url=reverse("live:debate", args=[debate.pk]),
                status="open",
                status_label=_("Open now"),
                urgency=Urgency.NOW,
                detail=_session_detail(occurrences[debate.occurrence_id]),
                action_label=_("Write your closing statement") if debate.my_side else _("Follow the debate"),
            )
        )
    return items
