"""The report's underlying numbers as an XLSX workbook: numbers as numbers, moments as dates, one sheet a section.

Texts are string cells exactly as typed (common.exports.xlsx_text): a string cell is never run as a formula.
"""

from __future__ import annotations

from io import BytesIO

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from common.exports import xlsx_text
from nominations.models import Nomination

from .selectors import GENDER_ORDER, NOT_KNOWN, SENIORITY_ORDER, STATUS_ORDER, ReportData

DATE_FORMAT = "yyyy-mm-dd hh:mm"


def _value(value):
    return xlsx_text(value)


class _Sheet:
    def __init__(self, book, title, headers):
        self.sheet = book.create_sheet(title[:31])
        self.sheet.append([_value(h) for h in headers])
        for cell in self.sheet[1]:
            cell.font = Font(bold=True)
        self.sheet.freeze_panes = "A2"

    def row(self, values, *, date_columns=(), percent_columns=(), decimal_columns=()):
        self.sheet.append([_value(v) for v in values])
        row = self.sheet.max_row
        for cell in self.sheet[row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # what people typed stays text, even “=HYPERLINK(…)”
        for column in date_columns:
            self.sheet.cell(row=row, column=column + 1).number_format = DATE_FORMAT
        for column in percent_columns:
            self.sheet.cell(row=row, column=column + 1).number_format = "0.0%"
        for column in decimal_columns:
            self.sheet.cell(row=row, column=column + 1).number_format = "0.00"


def _local(moment, workshop):
    """A naive datetime in the workshop's reference zone: spreadsheets hold no zones."""
    return timezone.localtime(moment, workshop.tz).replace(tzinfo=None) if moment else None


def render(data: ReportData) -> bytes:
    workshop = data.workshop
    zone = workshop.reference_timezone_label
    book = Workbook()
    book.remove(book.active)

    about = _Sheet(book, _("About"), [_("Item"), _("Value")])
    about.row([_("Workshop"), workshop.title])
    about.row([_("Groups"), data.scope_label])
    about.row([_("Report made (%(zone)s)") % {"zone": zone}, _local(data.made_at, workshop)], date_columns=[1])
    about.row([_("Times are in"), f"{workshop.reference_timezone} ({zone})"])

    p = data.participation
    groups = _Sheet(
        book,
        _("Participation"),
        [_("Group"), _("Enrolled"), _("Sessions"), _("Attended every session"), _("Certificates issued")],
    )
    for g in p.groups:
        groups.row([g.cohort.name, g.enrolled, g.sessions, g.attended_all, g.certificates])
    attendance = _Sheet(
        book,
        _("Attendance"),
        [
            _("Session"),
            _("Group"),
            _("Starts (%(zone)s)") % {"zone": zone},
            _("Present"),
            _("Partly"),
            _("Absent"),
            _("Not recorded"),
        ],
    )
    for a in p.attendance:
        attendance.row(
            [a.number, a.cohort.name, _local(a.starts_at, workshop), a.present, a.partly, a.absent, a.not_recorded],
            date_columns=[2],
        )
    profiles = _Sheet(
        book, _("Gender and seniority"), [_("Group"), _("Measure"), _("Key"), _("Category"), _("Participants")]
    )
    measures = (
        (_("Gender"), "gender", GENDER_ORDER, dict(Nomination.Gender.choices)),
        (_("Seniority"), "seniority", SENIORITY_ORDER, dict(Nomination.Seniority.choices)),
    )
    # Each group, then all of them: a participant without a recorded value is counted under “Not known”.
    scopes = [(g.cohort.name, g) for g in p.groups] + ([(_("All groups"), p)] if len(p.groups) > 1 else [])
    for name, scope in scopes:
        for measure, attribute, order, labels in measures:
            counts = getattr(scope, attribute)
            for key in order:
                label = labels[key] if key != NOT_KNOWN else _("Not known")
                profiles.row([name, measure, key or "not_known", str(label), counts.get(key, 0)])
    countries = _Sheet(book, _("Countries"), [_("Country"), _("Participants")])
    for name, n in p.countries:
        countries.row([name, n])
    institutions = _Sheet(book, _("Institutions"), [_("Institution"), _("Participants")])
    for name, n in p.institutions:
        institutions.row([name or _("Not given"), n])

    programme = _Sheet(
        book,
        _("Programme"),
        [
            _("Session"),
            _("Title"),
            _("Group"),
            _("Starts (%(zone)s)") % {"zone": zone},
            _("Ends (%(zone)s)") % {"zone": zone},
            _("Speakers"),
            _("Key messages"),
        ],
    )
    for s in data.programme:
        for d in s.deliveries or [None]:
            programme.row(
                [
                    s.number,
                    s.title,
                    d.cohort.name if d else "",
                    _local(d.starts_at, workshop) if d else None,
                    _local(d.ends_at, workshop) if d else None,
                    ", ".join(s.speakers),
                    "\n".join(d.key_messages if d and d.key_messages else s.planned_messages),
                ],
                date_columns=[3, 4],
            )

    dtca = _Sheet(
        book,
        _("DTCA profiles"),
        [_("Group"), _("Dimension"), _("Group mean"), _("Lowest"), _("Highest"), _("Range"), _("Countries")],
    )
    for group in data.dtca.groups if data.dtca else []:
        for d in group.dimensions:
            dtca.row(
                [group.cohort.name, d.name, d.mean, d.minimum, d.maximum, d.spread, d.countries],
                decimal_columns=[2, 3, 4, 5],
            )

    e = data.evaluations
    rates = _Sheet(
        book,
        _("Evaluation rates"),
        [_("Form"), _("Group"), _("Invited"), _("Answered"), _("Responses"), _("Response rate"), _("Mean rating")],
    )
    for r in e.rates:
        rates.row(
            [
                r.label,
                r.cohort.name,
                r.invited,
                r.answered,
                r.responses,
                r.rate / 100 if r.rate is not None else None,
                r.mean,
            ],
            percent_columns=[5],
            decimal_columns=[6],
        )
    questions = _Sheet(
        book,
        _("Evaluation questions"),
        [_("Session"), _("Question key"), _("Question"), _("Answers"), _("Mean"), _("Median"), "1", "2", "3", "4", "5"],
    )
    for q in e.questions:
        for n in e.session_numbers:
            stats = q.stats(n)
            if stats is None:
                continue
            questions.row(
                [n, q.key, q.text, stats.count, stats.mean, stats.median, *[b.count for b in stats.bars]],
                decimal_columns=[4],
            )
    course = _Sheet(
        book, _("Course evaluation"), [_("Question key"), _("Question"), _("Answer"), _("Count"), _("Mean")]
    )
    for q in e.course:
        if q.rating is not None:
            for bar in q.rating.bars:
                course.row([q.key, q.text, bar.value, bar.count, q.rating.mean], decimal_columns=[4])
        for bar in q.choices:
            course.row([q.key, q.text, bar.label, bar.count, None])
    comments = _Sheet(book, _("Chosen comments"), [_("Form"), _("Group"), _("Question"), _("Comment")])
    for c in e.comments:
        comments.row([c.form, c.cohort, c.question, c.text])

    a = data.actions
    status_labels = [label for _value, label in a.statuses]
    dimensions = _Sheet(book, _("Actions by dimension"), [_("Dimension"), *status_labels, _("Total")])
    for row in a.by_dimension:
        dimensions.row([row.label, *row.cells, row.total])
    sdgs = _Sheet(book, _("Actions by SDG"), [_("SDG"), _("Name"), _("Actions")])
    for number, name, count in a.by_sdg:
        sdgs.row([number, name, count])
    qualities = _Sheet(book, _("Actions by quality"), [_("Public-service quality"), _("Actions")])
    for name, count in a.by_quality:
        qualities.row([name, count])
    followups = _Sheet(book, _("Follow-ups"), [_("Moment"), _("Months after the course"), _("Reached"), *status_labels])
    for column in a.followups:
        followups.row(
            [
                column.label,
                column.months,
                column.reached,
                *[column.counts.get(s, 0) if column.reached else None for s in STATUS_ORDER],
            ]
        )
    teams = _Sheet(book, _("Country teams"), [_("Group"), _("Country"), *status_labels, _("Total")])
    for group, country, counts in a.by_team:
        teams.row([group, country, *counts.cells, counts.total])

    if data.include_names and p.annex is not None:
        annex = _Sheet(
            book,
            _("Annex participants"),
            [
                _("Name"),
                _("Group"),
                _("Country"),
                _("Institution"),
                _("Sessions attended"),
                _("Sessions"),
                _("Certificate"),
            ],
        )
        for r in p.annex:
            annex.row([r.name, r.cohort, r.country, r.institution, r.attended, r.sessions, r.certificate])

    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
