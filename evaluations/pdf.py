"""PDF evaluation reports with ReportLab (pure Python from pip: no system packages needed)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from io import BytesIO

from django.template.defaultfilters import floatformat
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from reportlab.graphics.shapes import Circle, Drawing, Line, PolyLine, Rect, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    KeepTogether,
    ListFlowable,
    ListItem,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from common import pdf_fonts, timefmt
from common.exports import printable
from common.translations import translated, translated_list

from .charts import SERIES_COLOURS
from .exports import NO_RESPONSES, form_facts, question_summary
from .reports import Bar, FormReport, WorkshopReport, withheld_short

BAR_COLOUR = colors.HexColor("#0d6efd")
GRID = colors.HexColor("#dee2e6")
MUTED = colors.HexColor("#6c757d")
CONTENT_WIDTH = A4[0] - 36 * mm


def _styles():
    sheet = pdf_fonts.stylesheet()
    return {
        "title": ParagraphStyle("title", parent=sheet["Title"], alignment=TA_LEFT, fontSize=18, leading=22),
        "subtitle": ParagraphStyle("subtitle", parent=sheet["Normal"], textColor=MUTED, spaceAfter=8),
        "h2": ParagraphStyle("h2", parent=sheet["Heading2"], spaceBefore=10),
        "h3": ParagraphStyle("h3", parent=sheet["Heading4"], spaceBefore=8, spaceAfter=2),
        "body": sheet["Normal"],
        "small": ParagraphStyle("small", parent=sheet["Normal"], fontSize=8.5, leading=11, textColor=MUTED),
        "comment": ParagraphStyle("comment", parent=sheet["Normal"], fontSize=9, leading=12),
    }


def _text(value) -> str:
    """Text safe inside a Paragraph, which reads a little XML: people's comments must never be read as markup."""
    return pdf_fonts.markup(printable(str(value)))


def _paragraph(value, style) -> pdf_fonts.TextParagraph:
    """A paragraph of text never read as markup (people's comments), in any script: right-to-left lines in
    reading order."""
    return pdf_fonts.TextParagraph(printable(str(value)), style)


def bars_drawing(bars: Sequence[Bar], *, width: float = CONTENT_WIDTH) -> Drawing:
    """Horizontal bars, one per rating value or option, with the count and share at the end."""
    pdf_fonts.register()
    row_h, label_w, count_w = 15, 150, 70
    bar_w = width - label_w - count_w
    drawing = Drawing(width, row_h * len(bars) + 4)
    drawing.initialFontName = pdf_fonts.SANS  # reportlab's renderer would otherwise start in Helvetica
    for index, bar in enumerate(bars):
        top = drawing.height - (index + 1) * row_h
        label = f"{bar.value} {bar.label}".strip() if bar.value is not None else bar.label
        if len(label) > 34:
            label = label[:33] + "…"
        drawing.add(String(0, top + 4, printable(label), fontName=pdf_fonts.SANS, fontSize=8.5))
        drawing.add(Rect(label_w, top + 2, bar_w, row_h - 5, fillColor=colors.HexColor("#f1f3f5"), strokeColor=None))
        if bar.count:
            filled = max(bar_w * bar.percent / 100, 1.5)
            drawing.add(Rect(label_w, top + 2, filled, row_h - 5, fillColor=BAR_COLOUR, strokeColor=None))
        drawing.add(
            String(
                label_w + bar_w + 6, top + 4, f"{bar.count} ({bar.percent:.0f}%)", fontName=pdf_fonts.SANS, fontSize=8.5
            )
        )
    return drawing


def trend_drawing(
    x_labels: Sequence[str], series: Sequence[tuple[str, Sequence[float | None]]], *, width: float = CONTENT_WIDTH
) -> Drawing:
    """Means (1–5) over the sessions, one line per group, with a legend."""
    pdf_fonts.register()
    height, left, bottom, top_pad, right_pad = 140, 24, 28, 8, 10
    plot_w, plot_h = width - left - right_pad, height - bottom - top_pad
    drawing = Drawing(width, height)
    drawing.initialFontName = pdf_fonts.SANS
    count = max(len(x_labels), 1)

    def x(index):
        return left + plot_w * (index + 0.5) / count

    def y(value):
        return bottom + plot_h * (value - 1) / 4

    for tick in range(1, 6):
        drawing.add(Line(left, y(tick), width - right_pad, y(tick), strokeColor=GRID, strokeWidth=0.5))
        drawing.add(String(left - 10, y(tick) - 3, str(tick), fontName=pdf_fonts.SANS, fontSize=8, fillColor=MUTED))
    for index, label in enumerate(x_labels):
        drawing.add(String(x(index), bottom - 12, label, fontName=pdf_fonts.SANS, fontSize=8, textAnchor="middle"))
    dashes = [None, [4, 2], [1.5, 2], [6, 2, 1.5, 2]]
    legend_x = left
    for s_index, (name, values) in enumerate(series):
        colour = colors.HexColor(SERIES_COLOURS[s_index % len(SERIES_COLOURS)])
        dash = dashes[s_index % len(dashes)]
        segment: list[float] = []
        for index, value in enumerate([*values, None]):
            if value is None:
                if len(segment) >= 4:
                    drawing.add(PolyLine(segment, strokeColor=colour, strokeWidth=1.8, strokeDashArray=dash))
                segment = []
                continue
            segment += [x(index), y(value)]
            drawing.add(Circle(x(index), y(value), 2.6, fillColor=colour, strokeColor=None))
        drawing.add(Line(legend_x, 4, legend_x + 16, 4, strokeColor=colour, strokeWidth=1.8, strokeDashArray=dash))
        drawing.add(String(legend_x + 20, 1, printable(name), fontName=pdf_fonts.SANS, fontSize=8))
        legend_x += 30 + 5 * len(name)
    return drawing


def _meta_table(report: FormReport, styles) -> Table:
    rows = [
        [_paragraph(fact.label, styles["small"]), _paragraph(fact.text(), styles["body"])]
        for fact in form_facts(report)
    ]
    table = Table(rows, colWidths=[60 * mm, CONTENT_WIDTH - 60 * mm], hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), pdf_fonts.SANS),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
            ]
        )
    )
    return table


def form_story(report: FormReport, styles) -> list:
    """The flowables of one form's report: the facts, then every question with its chart or its comments."""
    form = report.form
    story = [
        _paragraph(translated(form, "title"), styles["title"]),
        Paragraph(
            _text(
                gettext("%(workshop)s · %(group)s · evaluation report")
                % {"workshop": translated(form.cohort.workshop, "title"), "group": form.cohort.name}
            ),
            styles["subtitle"],
        ),
        _meta_table(report, styles),
        Spacer(1, 6),
    ]
    if not report.responses:
        story.append(
            Paragraph(
                f"<b>{_text(NO_RESPONSES)}</b> " + _text(gettext("This report will fill in as participants answer.")),
                styles["body"],
            )
        )
        return story
    if report.detail_withheld:
        story.append(_paragraph(report.withheld_message, styles["body"]))
        story.append(Spacer(1, 4))
    for section_title, questions in report.sections:
        if section_title:
            story.append(_paragraph(translated(questions[0].question, "section_title"), styles["h2"]))
        for question in questions:
            story.extend(_question_flowables(question, styles))
    return story


def _labelled(bars: Sequence[Bar], question, field: str) -> list[Bar]:
    """The bars with the options' (or rating labels') translations: answers are counted by the original."""
    names = dict(zip(getattr(question, field) or [], translated_list(question, field), strict=True))
    return [replace(bar, label=names.get(bar.label, bar.label)) for bar in bars]


def _question_flowables(question, styles) -> list:
    q = question.question
    heading = _paragraph(translated(q, "text"), styles["h3"])
    if question.rating is not None:
        stats = question.rating
        if stats.count:
            facts = ngettext(
                "Mean <b>%(mean)s</b> · median <b>%(median)s</b> · %(count)s answer",
                "Mean <b>%(mean)s</b> · median <b>%(median)s</b> · %(count)s answers",
                stats.count,
            ) % {"mean": floatformat(stats.mean, 2), "median": floatformat(stats.median, -1), "count": stats.count}
        else:
            facts = _text(gettext("No answers to this question."))
        return [
            KeepTogether(
                [heading, Paragraph(facts, styles["small"]), bars_drawing(_labelled(stats.bars, q, "scale_labels"))]
            )
        ]
    if q.is_choice:
        facts = ngettext("%(count)s person answered", "%(count)s people answered", question.answered) % {
            "count": question.answered
        }
        if q.kind == "multiple":
            facts += " " + gettext("(several options allowed)")
        facts = _text(facts)
        return [
            KeepTogether(
                [heading, Paragraph(facts, styles["small"]), bars_drawing(_labelled(question.choices, q, "choices"))]
            )
        ]
    if question.withheld:
        return [heading, _paragraph(withheld_short(), styles["small"])]
    if not question.comments:
        return [heading, Paragraph(_text(gettext("No comments.")), styles["small"])]
    items = [ListItem(_paragraph(comment, styles["comment"]), leftIndent=10) for comment in question.comments]
    return [
        heading,
        Paragraph(
            ngettext("%(count)s comment", "%(count)s comments", question.comments_total)
            % {"count": question.comments_total},
            styles["small"],
        ),
        ListFlowable(
            items, bulletType="bullet", start="•", leftIndent=10, bulletFontSize=8, bulletFontName=pdf_fonts.SANS
        ),
    ]


FOOTER_FONT, FOOTER_SIZE = pdf_fonts.SANS, 8
FOOTER_GAP = 6 * mm  # at least this much room between the footer text and the page number
ELLIPSIS = "…"


def fit_text(text: str, width: float, *, font: str = FOOTER_FONT, size: float = FOOTER_SIZE) -> str:
    """``text`` as drawn, cut with an ellipsis so it is no wider than ``width`` points."""
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + ELLIPSIS, font, size) > width:
        text = text[:-1]
    return text.rstrip() + ELLIPSIS if text else ""


def footer_line(lead: str, tail: str, page_label: str) -> str:
    """The footer's left text for a page: ``lead · tail``, the lead shortened so it never reaches the page number.

    The tail (when the file was printed) is kept whole; only the titles in the lead give way.
    """
    room = CONTENT_WIDTH - stringWidth(page_label, FOOTER_FONT, FOOTER_SIZE) - FOOTER_GAP
    lead, tail = printable(lead), printable(tail)
    if not tail:
        return fit_text(lead, room)
    separator = " · "
    lead_room = room - stringWidth(separator + tail, FOOTER_FONT, FOOTER_SIZE)
    if lead_room <= stringWidth(ELLIPSIS * 2, FOOTER_FONT, FOOTER_SIZE):
        return fit_text(f"{lead}{separator}{tail}", room)
    return fit_text(lead, lead_room) + separator + tail


def _page_decorator(lead: str, tail: str = ""):
    def draw(canvas, document):
        page_label = gettext("Page %(number)s") % {"number": document.page}
        canvas.saveState()
        canvas.setFillColor(MUTED)
        pdf_fonts.draw(canvas, 18 * mm, 10 * mm, footer_line(lead, tail, page_label), FOOTER_SIZE)
        canvas.setFont(FOOTER_FONT, FOOTER_SIZE)
        canvas.drawRightString(A4[0] - 18 * mm, 10 * mm, page_label)
        canvas.restoreState()

    return draw


def _printed() -> str:
    return gettext("printed %(date)s") % {"date": timefmt.date_text(timezone.now(), "day_year")}


def _build(story: list, *, title: str, footer: str, footer_tail: str = "") -> bytes:
    buffer = BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        initialFontName=pdf_fonts.SANS,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=18 * mm,
        title=printable(title),
        author=gettext("Workshop Portal"),
    )
    decorate = _page_decorator(footer, footer_tail)
    document.build(story, onFirstPage=decorate, onLaterPages=decorate)
    return buffer.getvalue()


def form_pdf(report: FormReport) -> bytes:
    form = report.form
    footer = f"{translated(form.cohort.workshop, 'title')} · {form.cohort.name}"
    return _build(
        form_story(report, _styles()),
        title=f"{translated(form, 'title')} · {form.cohort.name}",
        footer=footer,
        footer_tail=_printed(),
    )


def workshop_pdf(report: WorkshopReport) -> bytes:
    """The whole workshop: response rates, the trend over the sessions, the course side by side, then each form."""
    styles = _styles()
    workshop = report.workshop
    story = [
        _paragraph(translated(workshop, "title"), styles["title"]),
        Paragraph(_text(gettext("Evaluation report · %(printed)s") % {"printed": _printed()}), styles["subtitle"]),
        Paragraph(_text(gettext("Response rates")), styles["h2"]),
    ]
    header = ["", *[c.name for c in report.cohorts]]
    rows = [header]
    for rate_row in report.rate_rows:
        cells = rate_row.cells
        rows.append(
            [
                _paragraph(f"{rate_row.label}: {rate_row.title}", styles["small"]),
                *[
                    f"{cell.answered}/{cell.invited} ({floatformat(cell.rate, 0)}%)"
                    if cell and cell.rate is not None
                    else "—"
                    for cell in cells
                ],
            ]
        )
    table = Table(rows, colWidths=[CONTENT_WIDTH - 40 * mm * len(report.cohorts)] + [40 * mm] * len(report.cohorts))
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), pdf_fonts.SANS),
                ("FONTNAME", (0, 0), (-1, 0), pdf_fonts.SANS_BOLD),
                ("LINEBELOW", (0, 0), (-1, 0), 0.5, GRID),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("FONTSIZE", (1, 1), (-1, -1), 9),
            ]
        )
    )
    story.append(table)
    if not report.has_responses:
        story.append(Spacer(1, 8))
        story.append(Paragraph(f"<b>{_text(NO_RESPONSES)}</b>", styles["body"]))
    if report.trend and report.has_responses:
        story.append(
            Paragraph(
                _text(gettext("Sessions 1 to %(last)s: the trend") % {"last": report.session_numbers[-1]}),
                styles["h2"],
            )
        )
        x_labels = [gettext("S%(number)s") % {"number": n} for n in report.session_numbers]
        lines = [(gettext("All rating questions"), report.overall_trend)] + [
            (line.text, line.means) for line in report.trend
        ]
        for text, means in lines:
            series = [(c.name, means[c.pk]) for c in report.cohorts]
            story.append(KeepTogether([_paragraph(text, styles["h3"]), trend_drawing(x_labels, series)]))
    if report.course_rows and report.has_responses:
        story.append(Paragraph(_text(gettext("The course, group beside group")), styles["h2"]))
        rows = [["", *[c.name for c in report.cohorts]]]
        for row in report.course_rows:
            rows.append(
                [_paragraph(row.text, styles["small"])]
                + [_paragraph(question_summary(q), styles["small"]) for q in row.by_cohort]
            )
        width = (CONTENT_WIDTH - 55 * mm) / max(len(report.cohorts), 1)
        course = Table(rows, colWidths=[55 * mm] + [width] * len(report.cohorts))
        course.setStyle(
            TableStyle(
                [
                    ("FONTNAME", (0, 0), (-1, -1), pdf_fonts.SANS),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LINEBELOW", (0, 0), (-1, -1), 0.25, GRID),
                ]
            )
        )
        story.append(course)
    for form_report in report.reports:
        if form_report.responses:
            story.append(PageBreak())
            story.extend(form_story(form_report, styles))
    return _build(
        story,
        title=gettext("%(workshop)s · evaluation report") % {"workshop": translated(workshop, "title")},
        footer=gettext("%(workshop)s · evaluations") % {"workshop": translated(workshop, "title")},
    )
