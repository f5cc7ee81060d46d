"""Demo content of the live-session console for the Caribbean workshop (called by ``load_demo``).

The Session 5 poll on obstacles to change is defined for both groups. For every occurrence
already over, the demo also holds what a facilitator would have recorded: the poll's votes of those
present (attendance is ``attendance.demo``'s), and for Session 3 the brainstorming
board. Everything is derived from fixed seeds, so running it again changes nothing.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.utils import timezone

from attendance.selectors import present_participant_ids
from participants.selectors import participants_by_group
from sessions_app.models import AgendaItem, SessionOccurrence, Workshop

from .models import Board, BoardHeading, Idea, IdeaVote, Poll, PollOption, PollRun, PollVote

OBSTACLES_QUESTION = "What are the main obstacles to change in public administration in your country?"
# Written for the demo from the themes of the concept note and Session 5 (change at contextual,
# organizational and personal level; the dimensions of the Digital Capability Framework).
OBSTACLES = [
    "Resistance to change and a risk-averse culture",
    "Limited political will or leadership commitment",
    "Insufficient budget and funding",
    "Shortage of digital skills in the public service",
    "Outdated laws, regulations and procedures",
    "Ministries and agencies working in silos",
    "Legacy IT systems and weak connectivity",
    "Little data sharing between agencies",
]
# How likely each obstacle is picked, per group, so the groups' results differ a little as they would.
OBSTACLE_WEIGHTS = {
    "Group A": [6, 3, 4, 5, 3, 4, 2, 2],
    "Group B": [4, 4, 6, 3, 2, 3, 5, 3],
}

BOARD_HEADINGS = ["Citizen-centred services", "New ways of working", "Skills and culture"]
BOARD_IDEAS = [
    ("Co-design e-services with the citizens who use them, starting with birth and land registration.", 0),
    ("Map the journey of a small business licence and remove every duplicate step and form.", 0),
    ("Use service design to reach rural and elderly citizens that online services leave behind.", 0),
    ("Prototype new services with small groups of users before a national launch.", 1),
    ("A regional innovation lab shared by CARICOM states to pool scarce design and data skills.", 1),
    ("Hackathons with universities and young people on open government data.", 1),
    ("Give public officers a safe space to experiment without fear of blame.", 2),
    ("Train innovation champions in every ministry who coach their colleagues.", 2),
]


def load(workshop: Workshop) -> str | None:
    poll = _obstacles_poll(workshop)
    now = timezone.now()
    past = list(
        SessionOccurrence.objects.filter(session__workshop=workshop, ends_at__lte=now)
        .select_related("session", "cohort")
        .order_by("starts_at")
    )
    if poll is None and not past:
        return None
    participants = participants_by_group(workshop)
    for occurrence in past:
        # attendance.demo (which runs first) recorded who came; only they vote and post ideas.
        attended = present_participant_ids(occurrence)
        present = [p for p in participants.get(occurrence.cohort_id, []) if p.pk in attended]
        if poll is not None and occurrence.session_id == poll.session_id:
            _poll_votes(poll, occurrence, present)
        if occurrence.session.number == 3:
            _board(occurrence, present)
    parts = []
    if poll is not None:
        parts.append("the Session 5 poll on obstacles to change")
    if past:
        parts.append(f"votes and boards of the {len(past)} occurrences already held")
    return " and ".join(parts)


def _obstacles_poll(workshop) -> Poll | None:
    item = (
        AgendaItem.objects.filter(session__workshop=workshop, session__number=5, kind=AgendaItem.Kind.POLL)
        .select_related("session")
        .first()
    )
    if item is None:
        return None
    poll, created = Poll.objects.get_or_create(
        session=item.session,
        question=OBSTACLES_QUESTION,
        defaults={"kind": Poll.Kind.MULTIPLE, "max_choices": 3, "agenda_item": item},
    )
    if created:
        PollOption.objects.bulk_create(PollOption(poll=poll, text=text, order=i) for i, text in enumerate(OBSTACLES))
    return poll


def _poll_votes(poll, occurrence, voters):
    item_start = occurrence.starts_at + timedelta(minutes=poll.agenda_item.offset_minutes if poll.agenda_item else 0)
    run, created = PollRun.objects.get_or_create(
        poll=poll,
        occurrence=occurrence,
        defaults={
            "status": PollRun.Status.CLOSED,
            "results_visible": True,
            "opened_at": item_start,
            "closed_at": item_start + timedelta(minutes=10),
        },
    )
    if not created:
        return
    options = list(poll.options.all())
    weights = OBSTACLE_WEIGHTS.get(occurrence.cohort.name, [1] * len(options))
    for participant in voters:
        rng = random.Random(f"{participant.user.email}|{poll.question}")
        picked = set()
        while len(picked) < min(poll.max_choices or 1, len(options)):
            picked.add(rng.choices(range(len(options)), weights=weights[: len(options)])[0])
        vote = PollVote.objects.create(run=run, participant=participant)
        vote.options.set([options[i] for i in sorted(picked)])


def _board(occurrence, authors):
    item = (
        AgendaItem.objects.filter(session=occurrence.session, kind=AgendaItem.Kind.BRAINSTORM).first()
        if authors
        else None
    )
    if item is None:
        return
    board, created = Board.objects.get_or_create(
        occurrence=occurrence,
        agenda_item=item,
        defaults={"prompt": item.description or item.title, "is_open": False},
    )
    if not created:
        return
    headings = [
        BoardHeading.objects.create(board=board, title=title, order=i) for i, title in enumerate(BOARD_HEADINGS)
    ]
    rng = random.Random(f"board|{occurrence.cohort.name}")
    for index, (text, heading) in enumerate(BOARD_IDEAS):
        idea = Idea.objects.create(
            board=board, author=authors[(index * 3) % len(authors)], text=text, heading=headings[heading]
        )
        IdeaVote.objects.bulk_create(
            IdeaVote(idea=idea, participant=voter)
            for voter in rng.sample(authors, rng.randint(1, min(9, len(authors))))
        )
    # Posted during the activity, not when the demo was loaded.
    Idea.objects.filter(board=board).update(created_at=item.starts_at(occurrence) + timedelta(minutes=5))
