"""Functions that change live-session data. They check the rules; views only translate requests."""

from __future__ import annotations

import math
import secrets
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from common.text import clean_text
from participants.models import Participant
from sessions_app.models import AgendaItem, Session, SessionOccurrence

from . import selectors
from .attendee_report import ReportError, parse_report
from .breakout import CountryRule, DrawError, draw_rooms, room_count_for_size
from .models import (
    CERTIFICATE_ALPHABET,
    CERTIFICATE_CODE_LENGTH,
    IDEA_MAX_LENGTH,
    STATEMENT_MAX_LENGTH,
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
    Poll,
    PollOption,
    PollRun,
    PollVote,
)

# Seeds fit a PositiveIntegerField on every database.
MAX_SEED = 2**31 - 1


class LiveError(Exception):
    """A refused action; the message is shown to the person as it is."""


# ---------------------------------------------------------------- attendance


def record_attendance(occurrence: SessionOccurrence, statuses: dict[int, str], *, by) -> int:
    """Save the facilitator's marks for the group ("" clears a mark). Returns how many marks changed.

    Only changed rows are written, in one upsert and one delete, whatever the group's size.
    """
    participants = set(selectors.group_participants(occurrence.cohort_id).values_list("pk", flat=True))
    unknown = set(statuses) - participants
    if unknown:
        raise LiveError(_("Some of the people in the form are not in this group any more; reload the page."))
    existing = {r.participant_id: r for r in Attendance.objects.filter(occurrence=occurrence)}
    now = timezone.now()
    changed, cleared = [], []
    for participant_id, status in statuses.items():
        record = existing.get(participant_id)
        if not status:
            if record is not None:
                cleared.append(participant_id)
            continue
        if status not in Attendance.Status.values:
            raise LiveError(_("“%(mark)s” is not an attendance mark.") % {"mark": status})
        if record is not None and record.status == status:
            continue
        changed.append(
            Attendance(
                occurrence=occurrence,
                participant_id=participant_id,
                status=status,
                minutes_attended=record.minutes_attended if record else None,
                source=Attendance.Source.FACILITATOR,
                recorded_by=by,
                updated_at=now,
            )
        )
    with transaction.atomic():
        if changed:
            Attendance.objects.bulk_create(
                changed,
                update_conflicts=True,
                unique_fields=["occurrence", "participant"],
                update_fields=["status", "source", "recorded_by", "updated_at"],
            )
        if cleared:
            Attendance.objects.filter(occurrence=occurrence, participant_id__in=cleared).delete()
    return len(changed) + len(cleared)


@dataclass
class ImportResult:
    matched: int = 0
    present: int = 0
    partly: int = 0
    marked_absent: int = 0
    present_from_minutes: int = 0
    unknown_rows: list = field(default_factory=list)  # ReportRow of e-mails not in the group
    problems: list[str] = field(default_factory=list)


def status_for_minutes(minutes: int, present_from_minutes: int) -> str:
    if minutes <= 0:
        return Attendance.Status.ABSENT
    if minutes < present_from_minutes:
        return Attendance.Status.PARTLY
    return Attendance.Status.PRESENT


def import_attendee_report(
    occurrence: SessionOccurrence, data: bytes, *, by, mark_missing_absent: bool = True
) -> ImportResult:
    """Attendance from the meeting platform's report, matched by e-mail. An unreadable file saves nothing."""
    try:
        report = parse_report(data)
    except ReportError as exc:
        raise LiveError(str(exc)) from exc
    settings = selectors.live_settings_for(occurrence.session.workshop)
    session_minutes = occurrence.duration.total_seconds() / 60
    present_from = math.ceil(session_minutes * settings.present_from_percent / 100)
    participants = {p.user.email.lower(): p for p in selectors.group_participants(occurrence.cohort_id)}
    result = ImportResult(present_from_minutes=present_from, problems=report.problems)
    now = timezone.now()
    records = {}
    for row in report.rows:
        participant = participants.get(row.email)
        if participant is None:
            result.unknown_rows.append(row)
            continue
        status = status_for_minutes(row.minutes, present_from)
        records[participant.pk] = Attendance(
            occurrence=occurrence,
            participant=participant,
            status=status,
            minutes_attended=min(row.minutes, 32767),
            source=Attendance.Source.REPORT,
            recorded_by=by,
            updated_at=now,
        )
        result.matched += 1
        result.present += status == Attendance.Status.PRESENT
        result.partly += status == Attendance.Status.PARTLY
    if mark_missing_absent:
        for participant in participants.values():
            if participant.pk not in records:
                records[participant.pk] = Attendance(
                    occurrence=occurrence,
                    participant=participant,
                    status=Attendance.Status.ABSENT,
                    minutes_attended=0,
                    source=Attendance.Source.REPORT,
                    recorded_by=by,
                    updated_at=now,
                )
                result.marked_absent += 1
    if not result.matched:
        raise LiveError(
            _(
                "No e-mail address in the report belongs to a participant of this group, so nothing was saved. "
                "Is it the report of this group's session?"
            )
        )
    Attendance.objects.bulk_create(
        list(records.values()),
        update_conflicts=True,
        unique_fields=["occurrence", "participant"],
        update_fields=["status", "minutes_attended", "source", "recorded_by", "updated_at"],
    )
    return result


# ---------------------------------------------------------------- breakout rooms


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
    people, _absent = selectors.drawable_participants(occurrence)
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
    past = selectors.past_pairs(occurrence.cohort_id) if avoid_repeat_pairs else set()
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


# ---------------------------------------------------------------- polls


def _clean_options(options: list[str]) -> list[str]:
    cleaned: list[str] = []
    for text in options:
        text = clean_text(text)
        if text and text.lower() not in {c.lower() for c in cleaned}:
            cleaned.append(text)
    if len(cleaned) < 2:
        raise LiveError(_("A poll needs at least two different options."))
    if any(len(text) > 200 for text in cleaned):
        raise LiveError(_("Keep each option under 200 characters."))
    return cleaned


def _check_poll_fields(session: Session, *, kind, max_choices, agenda_item, options):
    if agenda_item is not None and agenda_item.session_id != session.pk:
        raise LiveError(_("That agenda item belongs to another session."))
    if kind == Poll.Kind.SINGLE:
        max_choices = None
    elif max_choices is not None and not 2 <= max_choices <= len(options):
        raise LiveError(
            _("The maximum number of choices must be between 2 and the number of options (%(options)s).")
            % {"options": len(options)}
        )
    return max_choices


def create_poll(
    session: Session,
    *,
    question: str,
    kind: str,
    options: list[str],
    max_choices: int | None = None,
    agenda_item: AgendaItem | None = None,
) -> Poll:
    options = _clean_options(options)
    max_choices = _check_poll_fields(
        session, kind=kind, max_choices=max_choices, agenda_item=agenda_item, options=options
    )
    if Poll.objects.filter(session=session, question__iexact=question.strip()).exists():
        raise LiveError(_("This session already has that question."))
    with transaction.atomic():
        order = (Poll.objects.filter(session=session).aggregate(m=Max("order"))["m"] or 0) + 1
        poll = Poll.objects.create(
            session=session,
            question=question.strip(),
            kind=kind,
            max_choices=max_choices,
            agenda_item=agenda_item,
            order=order,
        )
        PollOption.objects.bulk_create(PollOption(poll=poll, text=text, order=i) for i, text in enumerate(options))
    return poll


def update_poll(poll: Poll, *, question, kind, options, max_choices=None, agenda_item=None) -> Poll:
    """Change a question nobody has answered yet (answers would no longer mean the same)."""
    if PollVote.objects.filter(run__poll=poll).exists():
        raise LiveError(_("People have answered this poll; it can no longer be changed."))
    options = _clean_options(options)
    max_choices = _check_poll_fields(
        poll.session, kind=kind, max_choices=max_choices, agenda_item=agenda_item, options=options
    )
    if Poll.objects.filter(session_id=poll.session_id, question__iexact=question.strip()).exclude(pk=poll.pk).exists():
        raise LiveError(_("This session already has that question."))
    with transaction.atomic():
        poll.question, poll.kind, poll.max_choices, poll.agenda_item = question.strip(), kind, max_choices, agenda_item
        poll.save()
        poll.options.all().delete()
        PollOption.objects.bulk_create(PollOption(poll=poll, text=text, order=i) for i, text in enumerate(options))
    return poll


def delete_poll(poll: Poll) -> None:
    if PollVote.objects.filter(run__poll=poll).exists():
        raise LiveError(_("People have answered this poll; it is kept for the record."))
    poll.delete()


def open_poll(poll: Poll, occurrence: SessionOccurrence) -> PollRun:
    if poll.session_id != occurrence.session_id:
        raise LiveError(_("This poll belongs to another session."))
    run, created = PollRun.objects.get_or_create(
        poll=poll, occurrence=occurrence, defaults={"opened_at": timezone.now(), "status": PollRun.Status.OPEN}
    )
    if not created and not run.is_open:
        run.status, run.closed_at = PollRun.Status.OPEN, None
        run.save(update_fields=["status", "closed_at"])
    return run


def close_poll(run: PollRun) -> PollRun:
    if run.is_open:
        run.status, run.closed_at = PollRun.Status.CLOSED, timezone.now()
        run.save(update_fields=["status", "closed_at"])
    return run


def set_results_visible(run: PollRun, visible: bool) -> PollRun:
    run.results_visible = visible
    run.save(update_fields=["results_visible"])
    return run


def cast_vote(run: PollRun, participant: Participant, option_ids: list[int]) -> PollVote:
    """One vote per participant per poll: checked here for a clear message, guaranteed by the database."""
    if participant.cohort_id != run.occurrence.cohort_id or not participant.is_active:
        raise LiveError(_("This poll is for another group."))
    run.refresh_from_db(fields=["status"])
    if not run.is_open:
        raise LiveError(_("This poll is closed; your vote was not recorded."))
    option_ids = sorted(set(option_ids))
    options = list(PollOption.objects.filter(poll_id=run.poll_id, pk__in=option_ids))
    if not options or len(options) != len(option_ids):
        raise LiveError(_("Choose one of the options."))
    poll = run.poll
    if not poll.is_multiple and len(options) > 1:
        raise LiveError(_("Choose only one option."))
    if poll.is_multiple and poll.max_choices and len(options) > poll.max_choices:
        raise LiveError(
            ngettext("Choose at most %(most)s option.", "Choose at most %(most)s options.", poll.max_choices)
            % {"most": poll.max_choices}
        )
    try:
        with transaction.atomic():
            vote = PollVote.objects.create(run=run, participant=participant)
            vote.options.set(options)
    except IntegrityError as exc:
        raise LiveError(_("You have already voted in this poll; each participant votes once.")) from exc
    return vote


# ---------------------------------------------------------------- brainstorming boards


def start_board(occurrence: SessionOccurrence, item: AgendaItem, *, prompt: str) -> Board:
    if item.session_id != occurrence.session_id:
        raise LiveError(_("That agenda item belongs to another session."))
    prompt = (prompt or item.description or item.title).strip()[:500]
    board, _created = Board.objects.get_or_create(occurrence=occurrence, agenda_item=item, defaults={"prompt": prompt})
    return board


def _check_participant(board_or_debate, participant: Participant):
    if participant.cohort_id != board_or_debate.occurrence.cohort_id or not participant.is_active:
        raise LiveError(_("This activity is for another group."))


def post_idea(board: Board, participant: Participant, text: str) -> Idea:
    _check_participant(board, participant)
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
    _check_participant(idea.board, participant)
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


# ---------------------------------------------------------------- debates


def start_debate(occurrence: SessionOccurrence, item: AgendaItem, *, motion: str) -> Debate:
    if item.session_id != occurrence.session_id:
        raise LiveError(_("That agenda item belongs to another session."))
    motion = (motion or item.description or item.title).strip()[:500]
    debate, _created = Debate.objects.get_or_create(
        occurrence=occurrence, agenda_item=item, defaults={"motion": motion}
    )
    return debate


def draw_debate_sides(debate: Debate, *, seed: int | None = None) -> tuple[int, int]:
    """Split the participants present into two balanced sides at random. Returns (for, against)."""
    if DebateSide.objects.filter(debate=debate).exclude(closing_statement="").exists():
        raise LiveError(_("Closing statements have been written; change sides one by one instead of redrawing."))
    people, _absent = selectors.drawable_participants(debate.occurrence)
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
    participants = {p.pk: p for p in selectors.group_participants(debate.occurrence.cohort_id)}
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
    _check_participant(debate, participant)
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


# ---------------------------------------------------------------- key messages


def save_key_messages(occurrence: SessionOccurrence, text: str, *, by) -> KeyMessages | None:
    """Record the occurrence's key messages; empty text removes them."""
    text = "\n".join(line.strip() for line in (text or "").splitlines() if line.strip())
    if not text:
        KeyMessages.objects.filter(occurrence=occurrence).delete()
        return None
    record, _created = KeyMessages.objects.update_or_create(
        occurrence=occurrence, defaults={"text": text, "recorded_by": by}
    )
    return record


# ---------------------------------------------------------------- certificates


def new_certificate_code() -> str:
    return "".join(secrets.choice(CERTIFICATE_ALPHABET) for _position in range(CERTIFICATE_CODE_LENGTH))


def issue_certificate(status: selectors.CertificateStatus) -> Certificate:
    """The participant's certificate, issued the first time it is asked for; refused unless they qualify."""
    if not status.qualifies:
        raise LiveError(_("A certificate of participation is given for attending every session of the group."))
    if status.certificate is not None:
        return status.certificate
    participant = status.participant
    workshop = participant.cohort.workshop
    first, last = status.sessions[0].occurrence, status.sessions[-1].occurrence
    for _attempt in range(5):
        try:
            with transaction.atomic():
                certificate, _created = Certificate.objects.update_or_create(
                    participant=participant,
                    defaults={
                        "code": new_certificate_code(),
                        "holder_name": participant.user.get_full_name() or participant.user.email,
                        "workshop_title": workshop.title,
                        "group_name": participant.cohort.name,
                        "first_session_on": first.starts_at.astimezone(workshop.tz).date(),
                        "last_session_on": last.starts_at.astimezone(workshop.tz).date(),
                        "sessions_attended": status.attended,
                        "issued_at": timezone.now(),
                        "revoked_at": None,
                    },
                )
            return certificate
        except IntegrityError:
            continue  # a code collision (one in ~10^17) or two downloads at once: try again
    raise LiveError(_("The certificate could not be issued; please try again."))
