"""Reading and checking a roster: the people to enroll in a workshop's groups.

The admin import (CSV or XLSX) and ``load_demo`` (YAML) read different files into the same rows and check them
here; ``services.import_roster`` then writes a clean roster in one transaction.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from common.i18n import sorted_by

from .models import Country, Participant

if TYPE_CHECKING:
    from sessions_app.models import Cohort

COLUMNS = ("email", "first_name", "last_name", "country", "group", "institution", "position")
REQUIRED = ("email", "first_name", "last_name", "country", "group")
COLUMN_LABELS = {
    "email": "e-mail",
    "first_name": "first name",
    "last_name": "last name",
    "country": "country",
    "group": "group",
    "institution": "institution",
    "position": "position",
}
# Header spellings people use, reduced to letters only.
ALIASES = {
    "email": "email",
    "emailaddress": "email",
    "mail": "email",
    "firstname": "first_name",
    "givenname": "first_name",
    "lastname": "last_name",
    "surname": "last_name",
    "familyname": "last_name",
    "country": "country",
    "countrycode": "country",
    "group": "group",
    "cohort": "group",
    "institution": "institution",
    "ministryoragency": "institution",
    "organization": "institution",
    "organisation": "institution",
    "position": "position",
    "title": "position",
    "jobtitle": "position",
}
MAX_ROWS = 2000
MAX_LINES = 10 * MAX_ROWS  # empty lines included
MAX_COLUMNS = 60


class RosterFileError(Exception):
    """The file cannot be read as a roster at all (not a single row can be checked)."""


@dataclass
class RosterRow:
    line: int  # as the organizer sees it in the file: the header is line 1
    values: dict[str, str]
    problems: list[str] = field(default_factory=list)
    country: Country | None = None
    cohort: Cohort | None = None
    existing: Participant | None = None
    is_duplicate: bool = False

    @property
    def email(self) -> str:
        return self.values.get("email", "")

    @property
    def full_name(self) -> str:
        return f"{self.values.get('first_name', '')} {self.values.get('last_name', '')}".strip()


@dataclass
class RosterCheck:
    rows: list[RosterRow]

    @property
    def problem_rows(self) -> list[RosterRow]:
        return [row for row in self.rows if row.problems]

    @property
    def is_clean(self) -> bool:
        return bool(self.rows) and not self.problem_rows

    def per_group(self) -> list[tuple[str, int]]:
        counts = Counter(row.cohort.name for row in self.rows if row.cohort is not None)
        return sorted_by(counts.items(), lambda item: item[0])


def _clean_header(value) -> str:
    return re.sub(r"[^a-z]", "", str(value or "").lower())


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def rows_from_table(table: Iterable[Sequence]) -> list[RosterRow]:
    """Rows from a header line and data lines; empty lines are skipped, columns matched by their header.

    ``table`` is read lazily and reading stops as soon as the file has more than MAX_ROWS participants (or more
    than MAX_LINES lines, empty ones included): a forged sheet dimension cannot make the portal build a million rows.
    """
    lines = iter(table)
    first = next(lines, None)
    if first is None:
        raise RosterFileError(_("The file is empty."))
    first = list(first)[:MAX_COLUMNS]
    header = [ALIASES.get(_clean_header(cell), "") for cell in first]
    missing = [COLUMN_LABELS[name] for name in REQUIRED if name not in header]
    if missing:
        found = ", ".join(_cell(cell) for cell in first if _cell(cell)) or "nothing"
        raise RosterFileError(
            _(
                "The first line must name the columns; missing: %(missing)s (found: %(found)s). "
                "Expected columns: %(expected)s."
            )
            % {"missing": ", ".join(missing), "found": found, "expected": ", ".join(COLUMN_LABELS.values())}
        )
    rows: list[RosterRow] = []
    for offset, cells in enumerate(lines, start=2):
        if offset > MAX_LINES:
            raise RosterFileError(
                _("The file has more than %(limit)s lines; import at most %(rows)s participants at a time.")
                % {
                    "limit": number_format(MAX_LINES, force_grouping=True),
                    "rows": number_format(MAX_ROWS, force_grouping=True),
                }
            )
        values = {name: _cell(cells[i]) if i < len(cells) else "" for i, name in enumerate(header) if name}
        if any(values.values()):
            if len(rows) == MAX_ROWS:
                raise RosterFileError(
                    _("The file has more than %(limit)s participants; import at most %(limit)s at a time.")
                    % {"limit": number_format(MAX_ROWS, force_grouping=True)}
                )
            rows.append(RosterRow(line=offset, values=values))
    if not rows:
        raise RosterFileError(_("The file has a header line but no participants."))
    return rows


def rows_from_dicts(dicts: list[dict]) -> list[RosterRow]:
    """Rows from mappings keyed by column name (the YAML demo roster)."""
    return [
        RosterRow(line=index, values={name: _cell(row.get(name)) for name in COLUMNS})
        for index, row in enumerate(dicts, start=1)
    ]


def read_roster_file(name: str, data: bytes) -> list[RosterRow]:
    lower = name.lower()
    if lower.endswith(".xlsx"):
        with closing(_xlsx_table(data)) as table:
            return rows_from_table(table)
    if lower.endswith((".csv", ".txt")):
        try:
            return rows_from_table(_csv_table(data))
        except csv.Error as exc:
            raise RosterFileError(_("The CSV file cannot be read: %(error)s.") % {"error": exc}) from exc
    raise RosterFileError(_("Upload a .csv or .xlsx file."))


def _decode_csv(data: bytes) -> str:
    """UTF-8 (with or without BOM); a file with no UTF-8 at all is read as Windows-1252 (old Excel exports).

    A file that mixes the two (some lines UTF-8, some cp1252, as when rosters are pasted together) is refused with
    the lines that are not UTF-8, rather than turned into "JosÃ©" silently.
    """
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    bad, utf8_seen = [], False
    for number, raw in enumerate(data.split(b"\n"), start=1):
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError:
            bad.append(number)
        else:
            utf8_seen = utf8_seen or not raw.isascii()
    if utf8_seen:
        shown = ", ".join(str(n) for n in bad[:20]) + (" …" if len(bad) > 20 else "")
        raise RosterFileError(
            _(
                "The file mixes text encodings: line(s) %(lines)s are not UTF-8 while others are. "
                "Save the whole file as “CSV UTF-8” and upload it again."
            )
            % {"lines": shown}
        )
    return data.decode("cp1252", errors="replace")


def _csv_table(data: bytes) -> Iterator[list]:
    text = _decode_csv(data)
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return csv.reader(io.StringIO(text), dialect)


def _xlsx_table(data: bytes) -> Iterator[tuple]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise RosterFileError(_("The file is not a readable Excel workbook (.xlsx).")) from exc
    try:
        sheet = workbook.worksheets[0]
        # The <dimension> a file declares is not trusted (A1:XFD1048576 would pad a million rows to 16,384
        # columns); rows are read as they are stored, at most MAX_COLUMNS wide, and the caller stops at its limit.
        sheet.reset_dimensions()
        yield from sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True)
    finally:
        workbook.close()


def check_roster(workshop, rows: list[RosterRow], *, allow_enrolled: bool = False) -> RosterCheck:
    """Every problem of every row: nothing is imported until there are none.

    ``allow_enrolled`` accepts people already enrolled in the workshop (their rows update them); the demo
    loader uses it so it can run again. Capacity and seats count who is enrolled already.
    """
    cohorts = {c.name.casefold(): c for c in workshop.cohorts.all()}
    countries = {}
    for country in Country.objects.all():
        countries[country.code.casefold()] = country
        countries[country.name.casefold()] = country
    emails = [row.email.casefold() for row in rows if row.email]
    enrolled = {
        p.user.email.casefold(): p
        for p in Participant.objects.filter(cohort__workshop=workshop, user__email__in=emails).select_related(
            "user", "cohort"
        )
    }
    unproved = _unproved_sign_in_addresses(emails)
    seen: dict[str, int] = {}
    for row in rows:
        for name in REQUIRED:
            if not row.values.get(name):
                row.problems.append(_("No %(column)s.") % {"column": COLUMN_LABELS[name]})
        if row.email:
            try:
                validate_email(row.email)
            except ValidationError:
                row.problems.append(_("“%(email)s” is not an e-mail address.") % {"email": row.email})
            key = row.email.casefold()
            if key in seen:
                row.problems.append(
                    _("Duplicate: %(email)s is already on line %(line)s.") % {"email": row.email, "line": seen[key]}
                )
                row.is_duplicate = True
            else:
                seen[key] = row.line
            if key in unproved:
                row.problems.append(
                    _(
                        "{email} is the sign-in address of an account whose owner has not proved it is theirs "
                        "(they set it without confirming it). Ask an administrator to check that account first."
                    ).format(email=row.email)
                )
            row.existing = enrolled.get(key)
            if row.existing is not None and not allow_enrolled:
                row.problems.append(_("Already enrolled in %(group)s.") % {"group": row.existing.cohort.name})
        if row.values.get("country"):
            row.country = countries.get(row.values["country"].casefold())
            if row.country is None:
                row.problems.append(
                    _("Unknown country “%(country)s” (use the ISO code or the name).")
                    % {"country": row.values["country"]}
                )
        if row.values.get("group"):
            row.cohort = cohorts.get(row.values["group"].casefold())
            if row.cohort is None:
                known = ", ".join(c.name for c in cohorts.values()) or _("none")
                row.problems.append(
                    _("Unknown group “%(group)s” in this workshop (groups: %(known)s).")
                    % {"group": row.values["group"], "known": known}
                )
    _check_places(workshop, rows, allow_enrolled=allow_enrolled)
    return RosterCheck(rows=rows)


def _unproved_sign_in_addresses(emails: list[str]) -> set[str]:
    """Addresses that are an account's sign-in address only because its holder made them primary unconfirmed."""
    from allauth.account.models import EmailAddress

    if not emails:
        return set()
    rows = EmailAddress.objects.filter(email__in=emails, primary=True, verified=False).values_list(
        "email", "user__email"
    )
    return {email.casefold() for email, sign_in in rows if email.casefold() == (sign_in or "").casefold()}


def _check_places(workshop, rows: list[RosterRow], *, allow_enrolled: bool) -> None:
    """A group's capacity and each country's seats in it, counting who is already enrolled and active."""
    taken: Counter[int] = Counter()
    taken_by_country: Counter[tuple[int, int]] = Counter()
    for participant in Participant.objects.filter(cohort__workshop=workshop, is_active=True).only(
        "cohort_id", "country_id", "user_id"
    ):
        taken[participant.cohort_id] += 1
        taken_by_country[(participant.cohort_id, participant.country_id)] += 1
    for row in rows:
        if row.cohort is None or row.is_duplicate or (row.existing is not None and not allow_enrolled):
            continue
        if row.existing is not None and row.existing.is_active:
            # Already counted; moving between groups or countries frees the old place.
            if (row.existing.cohort_id, row.existing.country_id) == (row.cohort.pk, getattr(row.country, "pk", None)):
                continue
            taken[row.existing.cohort_id] -= 1
            taken_by_country[(row.existing.cohort_id, row.existing.country_id)] -= 1
        taken[row.cohort.pk] += 1
        if taken[row.cohort.pk] > row.cohort.capacity:
            row.problems.append(
                _("%(group)s is full: this would be participant %(number)s, its capacity is %(capacity)s.")
                % {"group": row.cohort.name, "number": taken[row.cohort.pk], "capacity": row.cohort.capacity}
            )
        if row.country is not None:
            key = (row.cohort.pk, row.country.pk)
            taken_by_country[key] += 1
            if taken_by_country[key] > row.cohort.seats_per_country:
                row.problems.append(
                    _("%(country)s would have %(count)s participants in %(group)s; each country has %(seats)s.")
                    % {
                        "country": row.country.name,
                        "count": taken_by_country[key],
                        "group": row.cohort.name,
                        "seats": row.cohort.seats_per_country,
                    }
                )
