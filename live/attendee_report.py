"""Reading a meeting platform's attendee report (WebEx, Zoom, Teams exports): e-mail and minutes attended.

Pure functions over bytes, no database. Platforms differ: WebEx writes UTF-16 with tabs,
Zoom comma-separated UTF-8 with a BOM, Teams puts a summary block above the table and
writes durations as "1h 5m 3s". The header row is found by its column names, rows of
one person who rejoined are added up, and anything unreadable raises ReportError so
that nothing is saved.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

MAX_REPORT_BYTES = 2 * 1024 * 1024

EMAIL_HEADER = re.compile(r"e-?mail", re.IGNORECASE)
# In order of preference: Zoom webinar reports have an "Attended" yes/no column before "Duration (Minutes)".
MINUTES_HEADERS = [
    re.compile(pattern, re.IGNORECASE) for pattern in (r"minute", r"duration", r"time in (session|meeting)")
]
UNIT_DURATION = re.compile(
    r"^\s*(?:(?P<h>\d+(?:\.\d+)?)\s*h(?:ours?|rs?)?)?\s*(?:(?P<m>\d+(?:\.\d+)?)\s*m(?:in(?:ute)?s?)?)?\s*"
    r"(?:(?P<s>\d+(?:\.\d+)?)\s*s(?:ec(?:ond)?s?)?)?\s*$",
    re.IGNORECASE,
)


class ReportError(ValueError):
    """The file cannot be read as an attendee report; the message says why."""


@dataclass
class ReportRow:
    line: int
    email: str
    minutes: int


@dataclass
class ParsedReport:
    rows: list[ReportRow] = field(default_factory=list)  # one per e-mail, minutes added up
    problems: list[str] = field(default_factory=list)  # rows skipped, with the reason


def decode(data: bytes) -> str:
    if not data.strip():
        raise ReportError(_("The file is empty."))
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings = ["utf-16"]
    elif b"\x00" in data[:1000]:
        # UTF-16 without a byte-order mark has a NUL in every other byte; anything else with NULs is binary.
        encodings = ["utf-16-le"] if data[1:200:2].count(0) > 50 else []
    else:
        encodings = ["utf-8-sig", "cp1252"]
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:
            return text
    raise ReportError(_("The file is not a text (CSV) file. Export the attendee report as CSV and upload that."))


def parse_minutes(value: str) -> int | None:
    """Minutes from "95", "95.5", "1:35:00", "35:10" (minutes:seconds), "1h 35m" or "95 mins"; None if unreadable."""
    value = (value or "").strip()
    if not value:
        return None
    try:
        return round(float(value.replace(",", ".")))
    except ValueError:
        pass
    if re.fullmatch(r"\d+(:\d{1,2}){1,2}", value):
        parts = [int(part) for part in value.split(":")]
        if len(parts) == 3:
            hours, minutes, seconds = parts
        else:
            hours, (minutes, seconds) = 0, parts
        return round(hours * 60 + minutes + seconds / 60)
    match = UNIT_DURATION.match(value)
    if match and any(match.group(unit) for unit in "hms"):
        hours, minutes, seconds = (float(match.group(unit) or 0) for unit in "hms")
        return round(hours * 60 + minutes + seconds / 60)
    return None


def _header_columns(cells: list[str]) -> tuple[int, int] | None:
    email = next((i for i, cell in enumerate(cells) if EMAIL_HEADER.search(cell)), None)
    if email is None:
        return None
    for pattern in MINUTES_HEADERS:
        minutes = next((i for i, cell in enumerate(cells) if i != email and pattern.search(cell)), None)
        if minutes is not None:
            return email, minutes
    return None


def parse_report(data: bytes) -> ParsedReport:
    if len(data) > MAX_REPORT_BYTES:
        raise ReportError(_("The file is larger than 2 MB; an attendee report of one session is much smaller."))
    text = decode(data)
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel_tab if sample.count("\t") > sample.count(",") else csv.excel
    try:
        lines = list(csv.reader(io.StringIO(text), dialect))
    except csv.Error as exc:
        raise ReportError(_("The file is not a readable CSV file (%(error)s).") % {"error": exc}) from exc

    header_at, columns = None, None
    for index, cells in enumerate(lines[:50]):
        columns = _header_columns(cells)
        if columns:
            header_at = index
            break
    if header_at is None:
        raise ReportError(
            _(
                "No header row with an e-mail column and a minutes/duration column was found "
                "(e.g. “Email” and “Duration (minutes)”)."
            )
        )
    email_column, minutes_column = columns
    report = ParsedReport()
    totals: dict[str, ReportRow] = {}
    for offset, cells in enumerate(lines[header_at + 1 :]):
        line = header_at + offset + 2
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) <= max(email_column, minutes_column):
            report.problems.append(_("Line %(line)s: fewer columns than the header.") % {"line": line})
            continue
        email = cells[email_column].strip().lower()
        try:
            validate_email(email)
        except ValidationError:
            report.problems.append(
                _("Line %(line)s: “%(value)s” is not an e-mail address.")
                % {"line": line, "value": cells[email_column].strip() or _("(empty)")}
            )
            continue
        minutes = parse_minutes(cells[minutes_column])
        if minutes is None or minutes < 0:
            report.problems.append(
                _("Line %(line)s: “%(value)s” is not a number of minutes.")
                % {"line": line, "value": cells[minutes_column].strip()}
            )
            continue
        if email in totals:
            totals[email].minutes += minutes
        else:
            totals[email] = ReportRow(line=line, email=email, minutes=minutes)
    report.rows = list(totals.values())
    if not report.rows and not report.problems:
        raise ReportError(_("The report has a header but no rows."))
    return report
