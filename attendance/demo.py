"""Demo attendance for the Caribbean workshop (called by ``load_demo`` before the live tools' demo, which reads it).

For every occurrence already over, the attendance a facilitator would have imported from the meeting platform's
attendee report: mostly present, a few partly or absent. Derived from fixed seeds, so running it again changes
nothing.
"""

from __future__ import annotations

import random

from django.utils import timezone

from participants.models import Participant
from participants.selectors import participants_by_group
from sessions_app.models import SessionOccurrence, Workshop

from .models import Attendance

DEMO_PARTICIPANT = "participant@demo.test"


def load(workshop: Workshop) -> str | None:
    past = list(
        SessionOccurrence.objects.filter(session__workshop=workshop, ends_at__lte=timezone.now())
        .select_related("session", "cohort")
        .order_by("starts_at")
    )
    if not past:
        return None
    participants = participants_by_group(workshop)
    for occurrence in past:
        _attendance(occurrence, participants.get(occurrence.cohort_id, []))
    return f"attendance of the {len(past)} occurrences already held"


def _attendance(occurrence, group) -> list[Participant]:
    """Attendance as an attendee report would give it: mostly present, a few partly or absent."""
    existing = set(Attendance.objects.filter(occurrence=occurrence).values_list("participant_id", flat=True))
    length = int(occurrence.duration.total_seconds() // 60)
    records, present = [], []
    for participant in group:
        rng = random.Random(f"{participant.user.email}|attendance|{occurrence.session.number}")
        draw = rng.random()
        if participant.user.email == DEMO_PARTICIPANT or draw >= 0.14:
            status, minutes = Attendance.Status.PRESENT, rng.randint(length - 15, length)
        elif draw >= 0.06:
            status, minutes = Attendance.Status.PARTLY, rng.randint(length // 4, length // 2)
        else:
            status, minutes = Attendance.Status.ABSENT, 0
        if status != Attendance.Status.ABSENT:
            present.append(participant)
        if participant.pk not in existing:
            records.append(
                Attendance(
                    occurrence=occurrence,
                    participant=participant,
                    status=status,
                    minutes_attended=minutes,
                    source=Attendance.Source.REPORT,
                    updated_at=occurrence.ends_at,
                )
            )
    Attendance.objects.bulk_create(records)
    return present
