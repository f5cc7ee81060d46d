"""Functions that read attendance and certificates. Each page's reads are here, in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from participants.models import Participant
from participants.selectors import group_participants
from sessions_app.models import Cohort, SessionOccurrence, Workshop

from .models import (
    Attendance,
    Certificate,
    LiveSettings,
)


def live_settings_for(workshop: Workshop) -> LiveSettings:
    """The workshop's settings, or the defaults (unsaved) when an organizer has not set any."""
    found = LiveSettings.objects.filter(workshop=workshop).first()
    return found or LiveSettings(workshop=workshop)


def qualifying_statuses(settings: LiveSettings) -> list[str]:
    statuses = [Attendance.Status.PRESENT]
    if settings.partly_counts_for_certificate:
        statuses.append(Attendance.Status.PARTLY)
    return statuses


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


#: The statuses of someone who was in the meeting ("partly" is how a late arrival is marked).
ATTENDED = frozenset({Attendance.Status.PRESENT, Attendance.Status.PARTLY})


def attendance_statuses(occurrence: SessionOccurrence) -> dict[int, str]:
    """Each recorded participant's status at one occurrence (empty: attendance not taken)."""
    return dict(Attendance.objects.filter(occurrence=occurrence).values_list("participant_id", "status"))


def present_participant_ids(occurrence: SessionOccurrence) -> set[int]:
    """Who was there, present or partly (a late arrival is "partly")."""
    return set(
        Attendance.objects.filter(occurrence=occurrence)
        .exclude(status=Attendance.Status.ABSENT)
        .values_list("participant_id", flat=True)
    )


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
    from .certificates import CertificateContext  # reportlab is heavy: only the PDF pages pay for it

    return CertificateContext(
        subtitle=workshop.subtitle,
        organizers=[organization.name for organization in workshop.organizers.all()],
        signatories=live_settings_for(workshop).signatory_list,
        workshop=workshop,
    )


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
