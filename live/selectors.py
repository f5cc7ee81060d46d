"""Functions that read live-session data. Each page's reads are here, in a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Count, Exists, F, OuterRef, Q, Subquery, Value, prefetch_related_objects
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from participants.models import Participant
from sessions_app.models import AgendaItem, Cohort, SessionOccurrence, Workshop
from sessions_app.selectors import agenda_prefetch

from .breakout import pair
from .models import (
    Attendance,
    Board,
    BoardHeading,
    BreakoutAssignment,
    BreakoutDraw,
    Certificate,
    Debate,
    DebateSide,
    Idea,
    IdeaVote,
    KeyMessages,
    LiveSettings,
    Poll,
    PollOption,
    PollRun,
    PollVote,
)

# ---------------------------------------------------------------- settings


def live_settings_for(workshop: Workshop) -> LiveSettings:
    """The workshop's settings, or the defaults (unsaved) when an organizer has not set any."""
    found = LiveSettings.objects.filter(workshop=workshop).first()
    return found or LiveSettings(workshop=workshop)


def qualifying_statuses(settings: LiveSettings) -> list[str]:
    statuses = [Attendance.Status.PRESENT]
    if settings.partly_counts_for_certificate:
        statuses.append(Attendance.Status.PARTLY)
    return statuses


# ---------------------------------------------------------------- run-sheet


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
    tools.append(Tool(_("Attendance"), reverse("live:attendance", args=[occurrence.pk])))
    return tools


def with_agenda(occurrence: SessionOccurrence) -> SessionOccurrence:
    """Loads the occurrence's agenda items and their speakers (two queries)."""
    prefetch_related_objects([occurrence.session], agenda_prefetch())
    return occurrence


@dataclass
class AttendanceSummary:
    participants: int
    present: int
    partly: int
    absent: int

    @property
    def taken(self) -> bool:
        return bool(self.present or self.partly or self.absent)

    @property
    def complete(self) -> bool:
        """Everyone in the group has a status (present, partly or absent)."""
        return self.present + self.partly + self.absent >= self.participants


def attendance_summary(occurrence: SessionOccurrence) -> AttendanceSummary:
    on_this_occurrence = Q(attendance_records__occurrence=occurrence)
    counts = Participant.objects.filter(cohort_id=occurrence.cohort_id, is_active=True).aggregate(
        participants=Count("pk", distinct=True),
        **{
            status: Count("attendance_records", filter=on_this_occurrence & Q(attendance_records__status=status))
            for status in Attendance.Status.values
        },
    )
    return AttendanceSummary(**counts)


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


# ---------------------------------------------------------------- attendance


def attendance_taken(occurrence: SessionOccurrence) -> bool:
    return Attendance.objects.filter(occurrence=occurrence).exists()


def group_participants(cohort_id: int):
    return (
        Participant.objects.filter(cohort_id=cohort_id, is_active=True)
        .select_related("user", "country")
        .order_by("country__name", "user__last_name", "user__first_name", "pk")
    )


@dataclass
class AttendanceRow:
    participant: Participant
    record: Attendance | None

    @property
    def status(self) -> str:
        return self.record.status if self.record else ""


def attendance_sheet(occurrence: SessionOccurrence) -> list[AttendanceRow]:
    records = {record.participant_id: record for record in Attendance.objects.filter(occurrence=occurrence)}
    return [
        AttendanceRow(participant, records.get(participant.pk))
        for participant in group_participants(occurrence.cohort_id)
    ]


# ---------------------------------------------------------------- breakout rooms


def drawable_participants(occurrence: SessionOccurrence) -> tuple[list[Participant], bool]:
    """Active participants of the group; once attendance is taken, only those marked present or partly.

    "Partly" is drawn too: it is how a late arrival is marked, and they are in the meeting.
    """
    participants = list(group_participants(occurrence.cohort_id))
    statuses = dict(Attendance.objects.filter(occurrence=occurrence).values_list("participant_id", "status"))
    if not statuses:
        return participants, False
    here = {Attendance.Status.PRESENT, Attendance.Status.PARTLY}
    return [p for p in participants if statuses.get(p.pk) in here], True


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


# ---------------------------------------------------------------- polls


def session_polls(session_id: int):
    return (
        Poll.objects.filter(session_id=session_id)
        .select_related("agenda_item")
        .prefetch_related("options")
        .annotate(vote_total=Count("runs__votes", distinct=True))
    )


@dataclass
class OptionResult:
    option: PollOption
    votes: int
    percent: int  # of the voters (a multiple-choice option can be picked by everyone)


@dataclass
class PollResults:
    voters: int
    options: list[OptionResult]


def poll_results(runs: list[PollRun]) -> dict[int, PollResults]:
    """Results of runs (of one or several polls), keyed by run id, in two queries whatever their number.

    Options are read from ``run.poll.options.all()``: prefetch them when there are several polls.
    """
    run_ids = [run.pk for run in runs]
    voters = dict(
        PollVote.objects.filter(run_id__in=run_ids).values("run_id").annotate(n=Count("pk")).values_list("run_id", "n")
    )
    counts = defaultdict(int)
    through = PollVote.options.through
    for row in (
        through.objects.filter(pollvote__run_id__in=run_ids)
        .values("pollvote__run_id", "polloption_id")
        .annotate(n=Count("pk"))
    ):
        counts[(row["pollvote__run_id"], row["polloption_id"])] = row["n"]
    results = {}
    for run in runs:
        total = voters.get(run.pk, 0)
        results[run.pk] = PollResults(
            voters=total,
            options=[
                OptionResult(
                    option,
                    counts[(run.pk, option.pk)],
                    round(100 * counts[(run.pk, option.pk)] / total) if total else 0,
                )
                for option in run.poll.options.all()
            ],
        )
    return results


def occurrence_poll_runs(occurrence: SessionOccurrence) -> dict[int, PollRun]:
    return {run.poll_id: run for run in PollRun.objects.filter(occurrence=occurrence)}


def poll_comparison(poll: Poll) -> list[tuple[PollRun, PollResults]]:
    """Every group's run of a poll, in group order, with its results, for side-by-side reading."""
    runs = list(poll.runs.select_related("occurrence__cohort").order_by("occurrence__cohort__name"))
    for run in runs:
        run.poll = poll
    results = poll_results(runs)
    return [(run, results[run.pk]) for run in runs]


def has_voted(run: PollRun, participant: Participant | None) -> bool:
    return participant is not None and PollVote.objects.filter(run=run, participant=participant).exists()


# ---------------------------------------------------------------- boards


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


# ---------------------------------------------------------------- debates


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


# ---------------------------------------------------------------- the participant's session page


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


# ---------------------------------------------------------------- certificates


@dataclass
class SessionAttendance:
    occurrence: SessionOccurrence
    status: str  # "" when not recorded

    @property
    def label(self) -> str:
        return Attendance.Status(self.status).label if self.status else _("Not recorded")


@dataclass
class CertificateStatus:
    participant: Participant
    sessions: list[SessionAttendance]
    qualifying: list[str]
    workshop_over: bool
    certificate: Certificate | None = None

    @property
    def partly_counts(self) -> bool:
        return Attendance.Status.PARTLY in self.qualifying

    @property
    def attended(self) -> int:
        return sum(1 for row in self.sessions if row.status in self.qualifying)

    @property
    def missing(self) -> list[SessionAttendance]:
        return [row for row in self.sessions if row.status not in self.qualifying]

    @property
    def qualifies(self) -> bool:
        return self.workshop_over and bool(self.sessions) and not self.missing


def _statuses(participants, occurrences, settings, now) -> list[CertificateStatus]:
    records = {
        (participant_id, occurrence_id): status
        for participant_id, occurrence_id, status in Attendance.objects.filter(
            participant__in=[p.pk for p in participants], occurrence__in=[o.pk for o in occurrences]
        ).values_list("participant_id", "occurrence_id", "status")
    }
    qualifying = qualifying_statuses(settings)
    over = bool(occurrences) and all(o.ends_at <= now for o in occurrences)
    return [
        CertificateStatus(
            participant=participant,
            sessions=[SessionAttendance(o, records.get((participant.pk, o.pk), "")) for o in occurrences],
            qualifying=qualifying,
            workshop_over=over,
        )
        for participant in participants
    ]


def group_occurrences(cohort_id: int) -> list[SessionOccurrence]:
    return list(SessionOccurrence.objects.filter(cohort_id=cohort_id).select_related("session").order_by("starts_at"))


def certificate_status(participant: Participant, now: datetime | None = None) -> CertificateStatus:
    occurrences = group_occurrences(participant.cohort_id)
    settings = live_settings_for(participant.cohort.workshop)
    status = _statuses([participant], occurrences, settings, now or timezone.now())[0]
    status.certificate = Certificate.objects.filter(participant=participant, revoked_at__isnull=True).first()
    return status


def group_certificate_statuses(
    cohort: Cohort, now: datetime | None = None, settings: LiveSettings | None = None
) -> list[CertificateStatus]:
    occurrences = group_occurrences(cohort.pk)
    participants = list(group_participants(cohort.pk))
    settings = settings or live_settings_for(cohort.workshop)
    statuses = _statuses(participants, occurrences, settings, now or timezone.now())
    certificates = {
        c.participant_id: c
        for c in Certificate.objects.filter(participant__in=[p.pk for p in participants], revoked_at__isnull=True)
    }
    for status in statuses:
        status.certificate = certificates.get(status.participant.pk)
    return statuses


def qualifies_for_certificate(participant: Participant, now: datetime | None = None) -> bool:
    """One query: every occurrence of the group has ended and has a qualifying attendance record."""
    now = now or timezone.now()
    partly_counts = LiveSettings.objects.filter(
        workshop_id=OuterRef("session__workshop_id"), partly_counts_for_certificate=True
    )
    records = Attendance.objects.filter(occurrence=OuterRef("pk"), participant=participant)
    totals = (
        SessionOccurrence.objects.filter(cohort_id=participant.cohort_id)
        .annotate(
            present=Exists(records.filter(status=Attendance.Status.PRESENT)),
            partly=Exists(records.filter(status=Attendance.Status.PARTLY)),
            partly_counts=Exists(partly_counts),
        )
        .aggregate(
            total=Count("pk"),
            ended=Count("pk", filter=Q(ends_at__lte=now)),
            attended=Count("pk", filter=Q(present=True) | Q(partly=True, partly_counts=True)),
        )
    )
    return totals["total"] > 0 and totals["total"] == totals["ended"] == totals["attended"]


def viewer_qualifies_for_certificate(viewer) -> bool:
    """``qualifies_for_certificate`` for the request's viewer, asked once per request whoever asks."""
    if viewer.participation is None:
        return False
    return viewer.shared("certificate", lambda: qualifies_for_certificate(viewer.participation, viewer.now))


def certificate_by_code(code: str) -> Certificate | None:
    normalized = "".join(ch for ch in (code or "").upper() if ch.isalnum())
    if not normalized:
        return None
    return Certificate.objects.filter(code=normalized, revoked_at__isnull=True).first()


def certificate_context(workshop: Workshop):
    from .certificates import CertificateContext

    return CertificateContext(
        subtitle=workshop.subtitle,
        organizers=[organization.name for organization in workshop.organizers.all()],
        signatories=live_settings_for(workshop).signatory_list,
    )


# ---------------------------------------------------------------- attendance downloads


@dataclass
class AttendanceTable:
    """A group's attendance: its occurrences (columns, in time order) and one row per active participant."""

    cohort: Cohort
    occurrences: list[SessionOccurrence]
    rows: list[tuple[Participant, list[Attendance | None]]]
    whole_group: bool = True  # every session of the group, or only the ones asked for


def attendance_table(cohort: Cohort, occurrences: list[SessionOccurrence] | None = None) -> AttendanceTable:
    """Who attended which session of the group, in three queries however many people and sessions."""
    whole_group = occurrences is None
    if occurrences is None:
        occurrences = list(
            SessionOccurrence.objects.filter(cohort=cohort).select_related("session").order_by("starts_at", "pk")
        )
    position = {occurrence.pk: index for index, occurrence in enumerate(occurrences)}
    participants = list(group_participants(cohort.pk))
    records: dict[int, list[Attendance | None]] = {p.pk: [None] * len(occurrences) for p in participants}
    for record in Attendance.objects.filter(occurrence__in=occurrences, participant__cohort=cohort):
        if record.participant_id in records:
            records[record.participant_id][position[record.occurrence_id]] = record
    return AttendanceTable(cohort, occurrences, [(p, records[p.pk]) for p in participants], whole_group)
