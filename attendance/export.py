"""Attendance as a download for facilitators and organizers: CSV (streamed, spreadsheet-safe) or XLSX.

One row per active participant of the group: name, country, then the status in each session (one session for an
occurrence's download, every session of the group for the group's). Moments are not exported; the session columns
name the session and its date in the workshop's reference zone.
"""

from __future__ import annotations

from io import BytesIO

from django.http import HttpResponse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from common.exports import attachment, csv_response, xlsx_cell

from .selectors import AttendanceTable

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _status(record) -> str:
    if record is None:
        return _("not taken")
    return record.get_status_display()


def header(table: AttendanceTable) -> list[str]:
    workshop = table.cohort.workshop
    sessions = [
        _("Session %(number)s (%(date)s)")
        % {"number": occurrence.session.number, "date": f"{occurrence.starts_at.astimezone(workshop.tz):%Y-%m-%d}"}
        for occurrence in table.occurrences
    ]
    return [_("Participant"), _("Country"), *sessions]


def rows(table: AttendanceTable):
    for participant, records in table.rows:
        yield [str(participant.user), participant.country.name, *[_status(record) for record in records]]


def filename(table: AttendanceTable, extension: str) -> str:
    workshop, cohort = table.cohort.workshop, table.cohort
    scope = "all-sessions" if table.whole_group else "-".join(f"session-{o.session.number}" for o in table.occurrences)
    return f"{slugify(f'attendance {workshop.slug} {cohort.name} {scope}')}.{extension}"


def csv_download(table: AttendanceTable):
    response = csv_response(filename(table, "csv"), header(table), rows(table))
    response["Cache-Control"] = "private, no-store"
    return response


def xlsx_bytes(table: AttendanceTable) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Attendance"))
    sheet.freeze_panes = "C2"
    bold = Font(bold=True)
    sheet.append([xlsx_cell(sheet, title, font=bold) for title in header(table)])
    for row in rows(table):
        sheet.append([xlsx_cell(sheet, value) for value in row])
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_download(table: AttendanceTable):
    response = HttpResponse(xlsx_bytes(table), content_type=XLSX_TYPE)
    response["Cache-Control"] = "private, no-store"
    return attachment(response, filename(table, "xlsx"))
