"""Downloads of answers and scores: one row per respondent, statements in questionnaire order."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from io import BytesIO

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from common.exports import xlsx_cell, xlsx_moment, zone_header

from . import scoring
from .selectors import ExportRespondent, Structure

# Lazy: the headers are read at download time, in the language of the person downloading.
FIXED_COLUMNS = [
    gettext_lazy("Group"),
    gettext_lazy("Country"),
    gettext_lazy("Respondent"),
    gettext_lazy("Type"),
    gettext_lazy("E-mail"),
    gettext_lazy("Institution"),
    gettext_lazy("Position"),
]


def header(structure: Structure, workshop) -> list[str]:
    columns = [*(str(column) for column in FIXED_COLUMNS), zone_header(_("Submitted"), workshop), _("Late")]
    for statement in structure.statements:
        columns += [
            f"{statement.label}: {statement.text}",
            _("%(label)s confidence") % {"label": statement.label},
            _("%(label)s evidence") % {"label": statement.label},
        ]
    for dimension in structure.dimensions:
        columns += [
            _("%(dimension)s score") % {"dimension": dimension.name},
            _("%(dimension)s don't know") % {"dimension": dimension.name},
        ]
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
            xlsx_moment(respondent.submitted_at, tz),
            _("yes") if respondent.is_late else _("no"),
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


def xlsx_bytes(header_row: list[str], data_rows: Iterable[list], *, about: list[tuple[str, str]]) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Answers"))
    sheet.freeze_panes = "D2"
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    sheet.append([xlsx_cell(sheet, title, font=bold, alignment=wrap) for title in header_row])
    for row in data_rows:
        sheet.append([xlsx_cell(sheet, value) for value in row])
    info = workbook.create_sheet(_("About"))
    for key, value in about:
        info.append([xlsx_cell(info, key), xlsx_cell(info, value)])
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
