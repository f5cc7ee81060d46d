"""Downloads of answers and scores: one row per respondent, statements in questionnaire order."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from io import BytesIO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font

from . import scoring
from .selectors import ExportRespondent, Structure

# Spreadsheet programs run a cell that starts with one of these as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

FIXED_COLUMNS = ["Group", "Country", "Respondent", "Type", "E-mail", "Institution", "Position"]


def header(structure: Structure, workshop) -> list[str]:
    columns = [*FIXED_COLUMNS, f"Submitted ({workshop.reference_timezone_label})", "Late"]
    for statement in structure.statements:
        columns += [
            f"{statement.label}: {statement.text}",
            f"{statement.label} confidence",
            f"{statement.label} evidence",
        ]
    for dimension in structure.dimensions:
        columns += [f"{dimension.name} score", f"{dimension.name} don't know"]
    return columns


def rows(structure: Structure, workshop, respondents: Iterable[ExportRespondent]) -> Iterator[list]:
    tz = workshop.tz
    dont_know = structure.instrument.dont_know_label
    for respondent in respondents:
        row = [
            respondent.cohort.name,
            respondent.country.name,
            respondent.name,
            respondent.kind,
            respondent.email,
            respondent.institution,
            respondent.position,
            respondent.submitted_at.astimezone(tz).strftime("%Y-%m-%d %H:%M"),
            "yes" if respondent.is_late else "no",
        ]
        ratings = {}
        for statement in structure.statements:
            answer = respondent.answers.get(statement.pk)
            if answer is None:
                row += ["", "", ""]
                continue
            ratings[statement.pk] = (answer.score, answer.dont_know)
            value = dont_know if answer.dont_know else answer.score
            row += [value if value is not None else "", answer.get_confidence_display(), answer.note]
        for score in scoring.score_dimensions(structure.dimensions, ratings):
            row += [round(score.mean, 2) if score.mean is not None else "", score.dont_know]
        yield row


def neutralise(value):
    """Text that a spreadsheet would run as a formula is prefixed with an apostrophe, as OWASP advises."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


class _Echo:
    def write(self, value):
        return value


def csv_lines(header_row: list[str], data_rows: Iterable[list]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    # A byte-order mark lets Excel open the UTF-8 file with accents and dashes intact.
    yield "\ufeff" + writer.writerow([neutralise(v) for v in header_row])
    for row in data_rows:
        yield writer.writerow([neutralise(v) for v in row])


def xlsx_bytes(header_row: list[str], data_rows: Iterable[list], *, about: list[tuple[str, str]]) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Answers")
    sheet.freeze_panes = "D2"
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    cells = []
    for title in header_row:
        cell = WriteOnlyCell(sheet, value=title)
        cell.font, cell.alignment = bold, wrap
        cells.append(cell)
    sheet.append(cells)
    for row in data_rows:
        sheet.append([_text_cell(sheet, value) for value in row])
    info = workbook.create_sheet("About")
    for key, value in about:
        info.append([_text_cell(info, key), _text_cell(info, value)])
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _text_cell(sheet, value):
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str) and value.startswith("="):
        # openpyxl would store it as a formula; keep it as the text the respondent typed.
        cell.data_type = "s"
    return cell
