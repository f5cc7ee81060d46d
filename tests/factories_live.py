"""Builders for live-session tests: a programme with activity items, and groups of any size."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from attendance.models import Attendance
from live.models import Poll, PollOption
from sessions_app.models import AgendaItem, AgendaItemSpeaker

from .factories import (
    ECT,
    CohortFactory,
    CountryFactory,
    OccurrenceFactory,
    ParticipantFactory,
    SessionFactory,
    SpeakerFactory,
    UserFactory,
    WorkshopFactory,
)

# One session of 135 minutes at 10:00 ECT; every live tool has an item.
ACTIVITY_AGENDA = [
    # offset, duration, kind, title, description, breakout rooms
    (0, 15, AgendaItem.Kind.WELCOME, "Welcome", "Introductions round.", None),
    (15, 25, AgendaItem.Kind.PRESENTATION, "Innovation and faster change", "Three levels of change.", None),
    (40, 20, AgendaItem.Kind.BREAKOUT, "Purpose of government", "Discuss in random teams.", 3),
    (60, 10, AgendaItem.Kind.BREAK, "Break", "", None),
    (70, 20, AgendaItem.Kind.POLL, "Poll on obstacles to change", "Vote, then discuss.", None),
    (90, 20, AgendaItem.Kind.BRAINSTORM, "Brainstorming", "In what ways might labs add value?", None),
    (110, 15, AgendaItem.Kind.DEBATE, "Debate", "Organizations should encourage mistakes.", None),
    (125, 10, AgendaItem.Kind.CONCLUSION, "Conclusion", "Summary of learning.", None),
]
GROUP_A_START = datetime(2021, 3, 23, 10, 0, tzinfo=ECT)


def live_workshop(*, sessions: int = 1, groups=("Group A", "Group B"), facilitator=None):
    """A workshop whose sessions all carry ACTIVITY_AGENDA; Group B meets a day after Group A."""
    workshop = WorkshopFactory()
    if facilitator is not None:
        workshop.facilitators.add(facilitator)
    cohorts = [CohortFactory(workshop=workshop, name=name) for name in groups]
    speaker = SpeakerFactory(name="Dimis Michaelides", honorific="Mr.")
    for number in range(1, sessions + 1):
        session = SessionFactory(workshop=workshop, number=number, title=f"Session {number} on change")
        for index, cohort in enumerate(cohorts):
            start = GROUP_A_START + timedelta(weeks=number - 1, days=index)
            OccurrenceFactory(session=session, cohort=cohort, starts_at=start)
        for offset, duration, kind, title, description, rooms in ACTIVITY_AGENDA:
            item = AgendaItem.objects.create(
                session=session,
                offset_minutes=offset,
                duration_minutes=duration,
                kind=kind,
                title=title,
                description=description,
                breakout_rooms=rooms,
                team_formation="random" if rooms else "",
            )
            if kind == AgendaItem.Kind.PRESENTATION:
                AgendaItemSpeaker.objects.create(item=item, speaker=speaker, role="speaker")
    return workshop


def enrol(cohort, *, countries: int, per_country: int = 2, prefix: str = "p"):
    """``countries`` × ``per_country`` active participants in the group, two per country like the real run."""
    participants = []
    for c in range(countries):
        country = CountryFactory(code=f"{chr(65 + c // 26)}{chr(65 + c % 26)}", name=f"Country {c:02d}")
        for i in range(per_country):
            user = UserFactory(email=f"{prefix}{cohort.pk}-{c}-{i}@example.org", first_name=f"First{c}{i}")
            participants.append(ParticipantFactory(user=user, cohort=cohort, country=country))
    return participants


def occurrence_of(workshop, group="Group A", number=1):
    return (
        workshop.sessions.get(number=number)
        .occurrences.select_related("cohort", "session__workshop")
        .get(cohort__name=group)
    )


def item_of(occurrence, kind):
    return occurrence.session.agenda_items.get(kind=kind)


def mark(occurrence, participants, status=Attendance.Status.PRESENT, minutes=None):
    Attendance.objects.bulk_create(
        Attendance(
            occurrence=occurrence,
            participant=participant,
            status=status,
            minutes_attended=minutes,
            updated_at=timezone.now(),
        )
        for participant in participants
    )


def make_poll(
    session, *, question="Which obstacle weighs most?", kind=Poll.Kind.SINGLE, options=None, max_choices=None
):
    poll = Poll.objects.create(
        session=session,
        question=question,
        kind=kind,
        max_choices=max_choices,
        agenda_item=session.agenda_items.filter(kind=AgendaItem.Kind.POLL).first(),
    )
    for index, text in enumerate(options or ["Culture", "Budget", "Skills", "Laws"]):
        PollOption.objects.create(poll=poll, text=text, order=index)
    return poll
