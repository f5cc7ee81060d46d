"""Polls: define, open, close, share and vote."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from common.text import clean_text
from participants.models import Participant
from sessions_app.models import AgendaItem, Session, SessionOccurrence

from ..models import (
    Poll,
    PollOption,
    PollRun,
    PollVote,
)
from . import LiveError


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
