"""Functions that read the programme."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from django.utils import timezone

from common.translations import translations_export

from .models import (
    AgendaItem,
    AgendaItemSpeaker,
    Cohort,
    PreparationTask,
    Session,
    SessionOccurrence,
    Workshop,
    split_lines,
)


def agenda_prefetch() -> Prefetch:
    return Prefetch(
        "agenda_items",
        queryset=AgendaItem.objects.prefetch_related(
            Prefetch(
                "speaker_roles",
                queryset=AgendaItemSpeaker.objects.select_related("speaker__organization", "organization"),
            )
        ),
    )


def tasks_prefetch(lookup: str = "tasks") -> Prefetch:
    return Prefetch(
        lookup,
        queryset=PreparationTask.objects.select_related("due_session").prefetch_related("resources"),
    )


def cohort_occurrences(cohort: Cohort, *, with_tasks: bool = True) -> list[SessionOccurrence]:
    """A group's occurrences in time order, with their sessions (and their tasks) loaded."""
    occurrences = (
        SessionOccurrence.objects.filter(cohort=cohort)
        .select_related("session__workshop", "cohort")
        .order_by("starts_at")
    )
    if with_tasks:
        occurrences = occurrences.prefetch_related(tasks_prefetch("session__tasks"))
    return list(occurrences)


def viewer_occurrences(viewer) -> list[SessionOccurrence]:
    """The viewer's group's occurrences in time order with their sessions and tasks (not the tasks' resources),
    read once per request for every part of the page that asks (``Viewer.shared``)."""

    def read():
        return list(
            SessionOccurrence.objects.filter(cohort_id=viewer.participation.cohort_id)
            .select_related("session__workshop", "cohort")
            .prefetch_related(
                Prefetch("session__tasks", queryset=PreparationTask.objects.select_related("due_session"))
            )
            .order_by("starts_at")
        )

    return viewer.shared("group_occurrences", read)


def occurrences_by_number(occurrences) -> dict[int, SessionOccurrence]:
    return {occurrence.session.number: occurrence for occurrence in occurrences}


def occurrence_with_programme(pk: int) -> SessionOccurrence | None:
    occurrence = SessionOccurrence.objects.select_related("session__workshop", "cohort").filter(pk=pk).first()
    if occurrence is not None:
        load_programme(occurrence)
    return occurrence


def load_programme(occurrence: SessionOccurrence) -> SessionOccurrence:
    """The session's agenda and tasks, on an occurrence read with its session."""
    prefetch_related_objects([occurrence.session], agenda_prefetch(), tasks_prefetch())
    return occurrence


@dataclass
class TaskDue:
    task: PreparationTask
    due_at: datetime | None

    @property
    def is_past(self) -> bool:
        return self.due_at is not None and self.due_at < timezone.now()


def tasks_with_due_dates(tasks, occurrences) -> list[TaskDue]:
    by_number = occurrences_by_number(occurrences)
    return [TaskDue(task, task.due_at(by_number)) for task in tasks]


@dataclass
class Overview:
    """Where a group stands in its programme, for the home page."""

    phase: str  # "before", "running" or "after"
    current: SessionOccurrence | None
    next: SessionOccurrence | None
    occurrences: list[SessionOccurrence]

    @property
    def completed_count(self) -> int:
        now = timezone.now()
        return sum(1 for occurrence in self.occurrences if occurrence.ends_at <= now)


def cohort_overview(occurrences: list[SessionOccurrence], now: datetime | None = None) -> Overview:
    now = now or timezone.now()
    current = next((o for o in occurrences if o.starts_at <= now < o.ends_at), None)
    upcoming = next((o for o in occurrences if o.starts_at > now), None)
    if not occurrences or now < occurrences[0].starts_at:
        phase = "before"
    elif now >= occurrences[-1].ends_at:
        phase = "after"
    else:
        phase = "running"
    return Overview(phase=phase, current=current, next=upcoming, occurrences=occurrences)


def public_workshops() -> QuerySet[Workshop]:
    return Workshop.objects.filter(is_published=True).order_by("-created_at")


def workshop_programme(slug: str) -> Workshop | None:
    """A published workshop with everything its public programme page shows."""
    return (
        Workshop.objects.filter(slug=slug, is_published=True)
        .prefetch_related(
            "organizers",
            "focal_points__organization",
            "cohorts",
            Prefetch(
                "sessions",
                queryset=Session.objects.prefetch_related(
                    agenda_prefetch(),
                    tasks_prefetch(),
                    Prefetch("occurrences", queryset=SessionOccurrence.objects.select_related("cohort")),
                ),
            ),
        )
        .first()
    )


def session_start_clock(session: Session) -> datetime | None:
    """The start of the session's most common occurrence time, used to show agenda clock times."""
    occurrences = list(session.occurrences.all())
    if not occurrences:
        return None
    tz = session.workshop.tz
    clocks = Counter(o.starts_at.astimezone(tz).time() for o in occurrences)
    clock = clocks.most_common(1)[0][0]
    return next(o.starts_at for o in occurrences if o.starts_at.astimezone(tz).time() == clock)


def _with_translations(obj) -> dict:
    """``{"translations": {"fr": {...}}}`` for a row that has any, nothing otherwise (files stay short)."""
    data = translations_export(obj)
    return {"translations": data} if data else {}


def export_programme(workshop: Workshop) -> dict:
    """The programme as a document that import_programme reads back to the same programme."""
    workshop = (
        Workshop.objects.filter(pk=workshop.pk)
        .prefetch_related(
            "organizers",
            "focal_points__organization",
            "cohorts",
            Prefetch(
                "sessions",
                queryset=Session.objects.prefetch_related(
                    agenda_prefetch(),
                    tasks_prefetch(),
                    Prefetch("occurrences", queryset=SessionOccurrence.objects.select_related("cohort")),
                ),
            ),
        )
        .get()
    )
    tz = workshop.tz
    organizations = {org.short_name: org for org in workshop.organizers.all()}
    speakers = {}
    for session in workshop.sessions.all():
        for item in session.agenda_items.all():
            for role in item.speaker_roles.all():
                if role.speaker_id:
                    speakers[role.speaker.key] = role.speaker
                    if role.speaker.organization_id:
                        organizations[role.speaker.organization.short_name] = role.speaker.organization
                if role.organization_id:
                    organizations[role.organization.short_name] = role.organization
    for point in workshop.focal_points.all():
        organizations[point.organization.short_name] = point.organization

    def clock(moment: datetime) -> str:
        return f"{moment.astimezone(tz):%H:%M}"

    sessions = []
    for session in workshop.sessions.all():
        occurrences = sorted(session.occurrences.all(), key=lambda o: (o.starts_at, o.cohort.name))
        reference = occurrences[0] if occurrences else None
        start = clock(reference.starts_at) if reference else "10:00"
        end = clock(reference.ends_at) if reference else "12:00"
        occurrence_rows = []
        for occurrence in occurrences:
            row = {
                "group": occurrence.cohort.name,
                "date": occurrence.starts_at.astimezone(tz).date().isoformat(),
            }
            if clock(occurrence.starts_at) != start or clock(occurrence.ends_at) != end:
                row.update(start=clock(occurrence.starts_at), end=clock(occurrence.ends_at))
            if occurrence.meeting_link:
                row["meeting_link"] = occurrence.meeting_link
            occurrence_rows.append(row)
        start_time = datetime.strptime(start, "%H:%M")
        agenda = []
        for item in session.agenda_items.all():
            speakers_rows = []
            for role in item.speaker_roles.all():
                speaker_row = {"role": role.role}
                if role.speaker_id:
                    speaker_row["speaker"] = role.speaker.key
                if role.organization_id:
                    speaker_row["organization"] = role.organization.short_name
                speakers_rows.append(speaker_row)
            agenda.append(
                {
                    "time": f"{start_time.replace(year=2000) + timedelta(minutes=item.offset_minutes):%H:%M}",
                    "duration": item.duration_minutes,
                    "section": item.section,
                    "kind": item.kind,
                    "title": item.title,
                    "description": item.description,
                    "speakers": speakers_rows,
                    "breakout_rooms": item.breakout_rooms,
                    "breakout_minutes": item.breakout_minutes,
                    "team_formation": item.team_formation,
                    **_with_translations(item),
                }
            )
        preparation = []
        for task in session.tasks.all():
            due = None
            if task.due_session_id or task.due_days_before:
                due = {"session": task.due_session_number, "days_before": task.due_days_before}
            preparation.append(
                {
                    "title": task.title,
                    "kind": task.kind,
                    "performed_by": task.performed_by,
                    "deliverable": task.deliverable,
                    "optional": task.is_optional,
                    "instructions": task.instructions,
                    "due": due,
                    "resources": [{"title": r.title, "url": r.url, "pages": r.pages} for r in task.resources.all()],
                    **_with_translations(task),
                }
            )
        sessions.append(
            {
                "number": session.number,
                "title": session.title,
                "objectives": split_lines(session.objectives),
                "preparation_brief": session.preparation_brief,
                "key_messages": session.key_message_list,
                "start": start,
                "end": end,
                "occurrences": occurrence_rows,
                "agenda": agenda,
                "preparation": preparation,
                **_with_translations(session),
            }
        )
    return {
        "organizations": [
            {"short_name": org.short_name, "name": org.name, "url": org.url}
            for org in sorted(organizations.values(), key=lambda o: o.short_name)
        ],
        "workshop": {
            "slug": workshop.slug,
            "title": workshop.title,
            "subtitle": workshop.subtitle,
            "organizers": [org.short_name for org in workshop.organizers.all()],
            "background": workshop.background,
            "thematic_focus": workshop.thematic_focus,
            "objectives_intro": workshop.objectives_intro,
            "objectives": split_lines(workshop.objectives),
            "format": workshop.format,
            "key_features": workshop.key_feature_list,
            "target_audience": workshop.target_audience,
            "expected_results": workshop.expected_results,
            "platform": workshop.platform,
            "language": workshop.language,
            **({"additional_languages": list(workshop.additional_languages)} if workshop.additional_languages else {}),
            "reference_timezone": workshop.reference_timezone,
            "reference_timezone_label": workshop.reference_timezone_label,
            **_with_translations(workshop),
        },
        "groups": [
            {
                "name": c.name,
                "capacity": c.capacity,
                "seats_per_country": c.seats_per_country,
                "meeting_link": c.meeting_link,
            }
            for c in workshop.cohorts.all()
        ],
        "speakers": [
            {
                "key": s.key,
                "honorific": s.honorific,
                "name": s.name,
                "position": s.position,
                "organization": s.organization.short_name if s.organization_id else "",
                "email": s.email,
                "bio": s.bio,
            }
            for s in sorted(speakers.values(), key=lambda s: s.key)
        ],
        "focal_points": [
            {
                "organization": p.organization.short_name,
                "honorific": p.honorific,
                "name": p.name,
                "role": p.role,
                "email": p.email,
            }
            for p in workshop.focal_points.all()
        ],
        "sessions": sessions,
    }


def facilitated_workshops(user) -> QuerySet:
    """The workshops a person runs: all of them for organizers (``is_staff``), else those they facilitate."""
    if not getattr(user, "is_authenticated", False):
        return Workshop.objects.none()
    if user.is_staff:
        return Workshop.objects.all()
    return Workshop.objects.filter(facilitators=user)


FACILITATOR_SCHEDULE_LIMIT = 1000


def facilitator_schedule(user) -> list[SessionOccurrence]:
    """Every occurrence of the groups a person runs (all workshops for organizers), in time order; one query."""
    return list(
        SessionOccurrence.objects.filter(session__workshop__in=facilitated_workshops(user))
        .select_related("session__workshop", "cohort")
        .order_by("starts_at", "cohort__name")[:FACILITATOR_SCHEDULE_LIMIT]
    )


def facilitator_overview(user) -> list[Workshop]:
    """The workshops a person facilitates, each with its groups and their occurrences."""
    return list(
        facilitated_workshops(user).prefetch_related(
            Prefetch(
                "cohorts",
                queryset=Cohort.objects.prefetch_related(
                    Prefetch("occurrences", queryset=SessionOccurrence.objects.select_related("session"))
                ),
            )
        )
    )


def facilitator_candidates() -> QuerySet:
    """Who the admin offers as a workshop's facilitator: staff, speakers, people who already facilitate, and
    accounts not enrolled as active participants (a new facilitator's account) — never the whole cohort."""
    from django.contrib.auth import get_user_model
    from django.db.models import Q

    from common.access import SPEAKER

    enrolled = Q(participations__is_active=True)
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(is_staff=True) | Q(facilitated_workshops__isnull=False) | Q(groups__name=SPEAKER) | ~enrolled)
        .distinct()
        .order_by("last_name", "first_name", "email")
    )
