"""Evaluation downloads: CSV and XLSX of the responses, and the PDF report.

Rows are read from the database with an iterator and written as they come (CSV streams, XLSX uses openpyxl's
write-only mode and a temporary file), so memory does not grow with the number of responses. Anonymous forms
export no names, e-mail addresses, countries or dates, rows in the order of the responses' random keys, and no
row or comment at all while the form has fewer responses than EVALUATIONS_ANONYMITY_THRESHOLD.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

from django.template.defaultfilters import floatformat
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext, gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font

from common import exports, timefmt
from common.translations import options_map, translated

from .models import EvaluationForm, FormQuestion, Response
from .reports import FormReport, WorkshopReport, iter_comments, withheld_message, withheld_short, withholds_detail

NO_RESPONSES = gettext_lazy("No responses yet.")


def download_name(form: EvaluationForm, extension: str, language: str = "") -> str:
    what = f"session-{form.session_number}" if form.session_number else "course"
    return f"{slugify(f'{form.cohort.workshop.slug} {what} {form.cohort.name} evaluation {language}')}.{extension}"


@dataclass(frozen=True)
class Fact:
    """One line of a form's summary: a typed value (a naive moment in the reference zone, a count, a rate)."""

    label: str
    value: object
    number_format: str | None = None  # an XLSX number format, e.g. a rate as a percentage

    def xlsx_cell(self, sheet):
        style = {"number_format": self.number_format} if self.number_format else {}
        return exports.xlsx_cell(sheet, self.value, **style)

    def text(self) -> str:
        """The value as a person reads it (the PDF summary)."""
        if self.value is None:
            return "—"
        if isinstance(self.value, datetime):
            # A naive moment in the reference zone (the label names the zone), written by the one moment helper
            # so day and month names follow the reader's language.
            moment = self.value.replace(tzinfo=UTC)
            return f"{timefmt.date_text(moment, 'day_year', UTC)} {timefmt.clock(moment)}"
        if self.number_format == exports.PERCENT_FORMAT:
            return f"{floatformat(self.value * 100, 0)}%"
        return str(self.value)


# --- the responses, one row each --------------------------------------------------------------------------------


@dataclass
class Column:
    header: str
    question: FormQuestion | None = None


def response_columns(form: EvaluationForm, questions: Sequence[FormQuestion]) -> list[Column]:
    columns = [Column(gettext("Response"))]
    if not form.is_anonymous:
        columns += [Column(gettext("Name")), Column(gettext("E-mail")), Column(gettext("Country"))]
    for index, question in enumerate(questions, start=1):
        suffix = {"rating": " (1–5)", "multiple": " " + gettext("(options chosen)")}.get(question.kind, "")
        columns.append(Column(f"{index}. {translated(question, 'text')}{suffix}", question))
    return columns


def response_rows(form: EvaluationForm, questions: Sequence[FormQuestion], chunk_size: int = 2000) -> Iterator[list]:
    """One list of cell values per response, in column order, read with a single streaming query.

    Rows come in the order of the responses' random keys (anonymous forms: nothing about who answered when) or by
    name (named forms).
    """
    fields = ["id", "answers__question_id", "answers__rating", "answers__choice", "answers__text"]
    ordering = ["id"]
    if not form.is_anonymous:
        person = [
            "completion__participant__user__first_name",
            "completion__participant__user__last_name",
            "completion__participant__user__email",
            "completion__participant__country__name",
        ]
        fields += person
        ordering = ["completion__participant__user__last_name", "completion__participant__user__first_name", "id"]
    position = {q.pk: i for i, q in enumerate(questions)}
    option_rank = {position[q.pk]: {c: n for n, c in enumerate(q.choices)} for q in questions if q.kind == "multiple"}
    # Answers are stored by the original option; the file shows each in its language (the active one).
    labels = {position[q.pk]: options_map(q) for q in questions if q.is_choice}
    rows = Response.objects.filter(form=form).order_by(*ordering).values_list(*fields).iterator(chunk_size=chunk_size)

    number = 0
    current_id, current = None, None
    for row in rows:
        response_id, question_id, rating, choice, text = row[:5]
        if response_id != current_id:
            if current is not None:
                yield _finish(current, option_rank, labels)
            number += 1
            current_id = response_id
            person = []
            if not form.is_anonymous:
                first, last, email, country = row[5:9]
                person = [f"{first} {last}".strip(), email or "", country or ""]
            current = {"head": [number, *person], "cells": [None] * len(questions)}
        if question_id is None or question_id not in position:
            continue
        index = position[question_id]
        if rating is not None:
            current["cells"][index] = rating
        elif choice:
            if index in option_rank:
                current["cells"][index] = [*(current["cells"][index] or []), choice]
            else:
                current["cells"][index] = choice
        else:
            current["cells"][index] = text
    if current is not None:
        yield _finish(current, option_rank, labels)


def _finish(current: dict, option_rank: dict[int, dict[str, int]], labels: dict[int, dict[str, str]]) -> list:
    cells = []
    for index, value in enumerate(current["cells"]):
        label = labels.get(index, {})
        if isinstance(value, list):
            rank = option_rank[index]
            value = "; ".join(label.get(c, c) for c in sorted(value, key=lambda c: (rank.get(c, len(rank)), c)))
        elif isinstance(value, str) and index in labels:
            value = label.get(value, value)
        cells.append(value)
    return current["head"] + cells


# --- CSV ---------------------------------------------------------------------------------------------------------


def csv_table(form: EvaluationForm, questions: Sequence[FormQuestion]) -> tuple[list[str], Iterator[list]]:
    """The CSV's header and rows, for ``common.exports.csv_response`` (cells spreadsheet-safe, UTF-8 with a BOM)."""
    columns = response_columns(form, questions)

    def rows():
        if withholds_detail(form, Response.objects.filter(form=form).count()):
            yield [withheld_message()]
            return
        empty = True
        for row in response_rows(form, questions):
            empty = False
            yield [_csv_value(value) for value in row]
        if empty:
            yield [NO_RESPONSES]

    return [c.header for c in columns], rows()


def _csv_value(value):
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return value


# --- XLSX --------------------------------------------------------------------------------------------------------


def _cell(sheet, value, *, bold=False):
    """A styled write-only cell; a text is always stored as text, so nothing typed in a form becomes a formula."""
    return exports.xlsx_cell(sheet, value, font=Font(bold=True)) if bold else exports.xlsx_cell(sheet, value)


def _plain(sheet, value):
    # Most values go in as they are (fast); openpyxl would only take a text starting with "=" for a formula.
    if isinstance(value, str):
        value = exports.xlsx_text(value)
        if value.startswith("="):
            return _cell(sheet, value)
    return value


def _row(sheet, values, *, bold=False):
    if bold:
        sheet.append([_cell(sheet, value, bold=True) for value in values])
    else:
        sheet.append([_plain(sheet, value) for value in values])


def write_xlsx(report: FormReport, questions: Sequence[FormQuestion], target) -> None:
    """Summary, Responses and Comments sheets into ``target`` (a path or a binary file)."""
    form = report.form
    book = Workbook(write_only=True)

    summary = book.create_sheet(gettext("Summary"))
    summary.column_dimensions["A"].width = 48
    _row(summary, [translated(form, "title")], bold=True)
    for fact in form_facts(report):
        summary.append([_cell(summary, fact.label), fact.xlsx_cell(summary)])
    _row(summary, [])
    if not report.responses:
        _row(summary, [str(NO_RESPONSES)], bold=True)
    _row(
        summary,
        [gettext("Rating questions"), gettext("Answers"), gettext("Mean"), gettext("Median"), "1", "2", "3", "4", "5"],
        bold=True,
    )
    for question in report.rating_questions:
        stats = question.rating
        _row(
            summary,
            [
                translated(question.question, "text"),
                stats.count,
                round(stats.mean, 2) if stats.mean is not None else None,
                stats.median,
                *[bar.count for bar in stats.bars],
            ],
        )
    choice_questions = [q for q in report.questions if q.question.is_choice]
    if choice_questions:
        _row(summary, [])
        _row(
            summary,
            [gettext("Choice questions"), gettext("Option"), gettext("Count"), gettext("% of those who answered")],
            bold=True,
        )
        for question in choice_questions:
            label = options_map(question.question)
            text = translated(question.question, "text")
            for bar in question.choices:
                _row(summary, [text, label.get(bar.label, bar.label), bar.count, round(bar.percent, 1)])

    responses = book.create_sheet(gettext("Responses"))
    columns = response_columns(form, questions)
    _row(responses, [c.header for c in columns], bold=True)
    comments = book.create_sheet(gettext("Comments"))
    _row(comments, [gettext("Question"), gettext("Comment")], bold=True)
    if report.detail_withheld:
        _row(responses, [withheld_message()])
        _row(comments, [withheld_message()])
        book.save(target)
        return
    empty = True
    for values in response_rows(form, questions):
        empty = False
        _row(responses, values)
    if empty:
        _row(responses, [str(NO_RESPONSES)])

    any_comment = False
    shown = {q.text: translated(q, "text") for q in questions}
    for question_text, comment in iter_comments(form):
        any_comment = True
        _row(comments, [shown.get(question_text, question_text), comment])
    if not any_comment:
        _row(comments, [gettext("No comments yet.")])
    book.save(target)


def form_facts(report: FormReport) -> list[Fact]:
    """The summary of a form: moments as moments (reference zone in the label), counts and the rate as numbers."""
    form = report.form
    workshop = form.cohort.workshop
    tz = workshop.tz
    rows = [
        Fact(gettext("Workshop"), workshop.title),
        Fact(gettext("Group"), form.cohort.name),
        Fact(exports.zone_header(gettext("Opens"), workshop), exports.xlsx_moment(form.opens_at, tz)),
        Fact(exports.zone_header(gettext("Closes"), workshop), exports.xlsx_moment(form.closes_at, tz)),
        Fact(gettext("Anonymous"), gettext("yes") if form.is_anonymous else gettext("no (named)")),
        Fact(gettext("Invited (active participants)"), report.invited),
        Fact(gettext("Answered"), report.answered),
        Fact(gettext("Response rate"), _fraction(report.rate), exports.PERCENT_FORMAT),
    ]
    if report.responses != report.answered:
        rows.append(Fact(gettext("Responses stored (including people no longer active)"), report.responses))
    if report.detail_withheld:
        rows.append(Fact(gettext("Comments and individual responses"), withheld_message()))
    rows.append(Fact(exports.zone_header(gettext("Exported"), workshop), exports.xlsx_moment(timezone.now(), tz)))
    return rows


def _fraction(percent: float | None) -> float | None:
    """A rate the reports keep as 0–100, as the fraction a spreadsheet formats as a percentage."""
    return round(percent / 100, 4) if percent is not None else None


def xlsx_file(report: FormReport, questions: Sequence[FormQuestion]):
    """The workbook in a temporary file on disk (memory stays flat however many rows), rewound to stream."""
    # Not a `with`: the response streams the file and closes it when done.
    spool = tempfile.TemporaryFile()  # noqa: SIM115
    write_xlsx(report, questions, spool)
    spool.seek(0)
    return spool


def workshop_xlsx_file(report: WorkshopReport):
    """An overview workbook: response rates, and each rating question's mean per session and group."""
    book = Workbook(write_only=True)
    rates = book.create_sheet(gettext("Response rates"))
    _row(rates, [report.workshop.title], bold=True)
    titles = [gettext("Form")]
    for cohort in report.cohorts:
        titles += [
            gettext("%(group)s answered") % {"group": cohort.name},
            gettext("%(group)s invited") % {"group": cohort.name},
            gettext("%(group)s rate") % {"group": cohort.name},
        ]
    _row(rates, titles, bold=True)
    for rate_row in report.rate_rows:
        row = [_cell(rates, f"{rate_row.label}: {rate_row.title}")]
        for cell in rate_row.cells:
            # Counts as integers in their own columns, the rate as a fraction shown as a percentage.
            row += [
                cell.answered if cell else None,
                cell.invited if cell else None,
                exports.xlsx_rate(rates, _fraction(cell.rate) if cell else None),
            ]
        rates.append(row)
    means = book.create_sheet(gettext("Means by session"))
    _row(
        means,
        [
            gettext("Question"),
            gettext("Group"),
            *[gettext("Session %(number)s") % {"number": n} for n in report.session_numbers],
        ],
        bold=True,
    )
    for line in report.trend:
        for cohort in report.cohorts:
            _row(means, [line.text, cohort.name, *[_round(m) for m in line.means[cohort.pk]]])
    for cohort in report.cohorts:
        _row(
            means, [gettext("All rating questions"), cohort.name, *[_round(m) for m in report.overall_trend[cohort.pk]]]
        )
    course = book.create_sheet(gettext("Course"))
    _row(course, [gettext("Question"), *[c.name for c in report.cohorts]], bold=True)
    for row in report.course_rows:
        _row(course, [row.text, *[question_summary(q) for q in row.by_cohort]])
    # Not a `with`: the response streams the file and closes it when done.
    spool = tempfile.TemporaryFile()  # noqa: SIM115
    book.save(spool)
    spool.seek(0)
    return spool


def _round(value):
    return round(value, 2) if value is not None else None


def question_summary(question) -> str:
    if question is None:
        return "—"
    if question.rating is not None:
        if question.rating.mean is None:
            return gettext("no answers")
        return gettext("mean %(mean)s, median %(median)s (n=%(count)s)") % {
            "mean": floatformat(question.rating.mean, 2),
            "median": floatformat(question.rating.median, -1),
            "count": question.rating.count,
        }
    if question.question.is_choice:
        return "; ".join(f"{bar.label}: {bar.count}" for bar in question.choices)
    if question.withheld:
        return withheld_short()
    return f"{question.comments_total} comments"
