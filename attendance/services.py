"""Functions that change attendance and certificates. They check the rules; views only translate requests."""

from __future__ import annotations

import math
import secrets
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from participants.selectors import group_participants
from sessions_app.models import SessionOccurrence

from . import selectors
from .attendee_report import ReportError, parse_report
from .models import (
    CERTIFICATE_ALPHABET,
    CERTIFICATE_CODE_LENGTH,
    Attendance,
    Certificate,
)


class AttendanceError(Exception):
    """A refused action; the message is shown to the person as it is."""


def record_attendance(occurrence: SessionOccurrence, statuses: dict[int, str], *, by) -> int:
    """Save the facilitator's marks for the group ("" clears a mark). Returns how many marks changed.

    Only changed rows are written, in one upsert and one delete, whatever the group's size.
    """
    participants = set(group_participants(occurrence.cohort_id).values_list("pk", flat=True))
    unknown = set(statuses) - participants
    if unknown:
        raise AttendanceError(_("Some of the people in the form are not in this group any more; reload the page."))
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
            raise AttendanceError(_("“%(mark)s” is not an attendance mark.") % {"mark": status})
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
        raise AttendanceError(str(exc)) from exc
    settings = selectors.live_settings_for(occurrence.session.workshop)
    session_minutes = occurrence.duration.total_seconds() / 60
    present_from = math.ceil(session_minutes * settings.present_from_percent / 100)
    participants = {p.user.email.lower(): p for p in group_participants(occurrence.cohort_id)}
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
        raise AttendanceError(
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


def new_certificate_code() -> str:
    return "".join(secrets.choice(CERTIFICATE_ALPHABET) for _position in range(CERTIFICATE_CODE_LENGTH))


def issue_certificate(status: selectors.CertificateStatus) -> Certificate:
    """The participant's certificate, issued the first time it is asked for; refused unless they qualify."""
    if not status.qualifies:
        raise AttendanceError(_("A certificate of participation is given for attending every session of the group."))
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
    raise AttendanceError(_("The certificate could not be issued; please try again."))
