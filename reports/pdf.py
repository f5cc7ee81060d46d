"""The report as a designed PDF: a cover, the contents, each section with its charts, page numbers.

Everything is drawn by ReportLab in this process (charts with reportlab.graphics): no internet, no browser.
"""

from __future__ import annotations

from io import BytesIO

from django.utils.translation import gettext as _
from reportlab.graphics.shapes import Circle, Drawing, Line, PolyLine, Rect, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    BaseDocTemplate,
    Frame,
    KeepTogether,
    ListFlowable,
    ListItem,
    NextPageTemplate,
    PageTemplate,
    Spacer,
    TableStyle,
)
from reportlab.platypus import PageBreak as RLPageBreak
from reportlab.platypus import Table as RLTable
from reportlab.platypus.tableofcontents import TableOfContents
from reportlab.platypus.tableofcontents import defaultTableStyle as TOC_STYLE

from common import pdf_fonts
from common.exports import printable as clean_text

from . import document as doc

INK = colors.HexColor("#1d2b3a")
ACCENT = colors.HexColor("#0b5cab")
ACCENT_LIGHT = colors.HexColor("#e8f0fa")
GRID = colors.HexColor("#d5dbe1")
MUTED = colors.HexColor("#5f6b76")
PAGE_W, PAGE_H = A4
MARGIN = 20 * mm
CONTENT_W = PAGE_W - 2 * MARGIN
FOOTER_Y = 11 * mm

# Colour-blind-safe palettes (Okabe–Ito order), and a diverging one for ratings 1 (red) … 5 (blue).
SERIES = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
SCALE = ["#ca0020", "#f4a582", "#d9d9d9", "#92c5de", "#0571b0"]
STATUS = ["#bdbdbd", "#56B4E9", "#E69F00", "#009E73"]  # not started, started, stalled, done
ATTENDANCE = ["#009E73", "#56B4E9", "#D55E00", "#d9d9d9"]


def _p(value, style) -> pdf_fonts.TextParagraph:
    """A paragraph of text that is never read as markup, in any script (right-to-left lines in reading order)."""
    return pdf_fonts.TextParagraph(clean_text(str(value)), style)


def _fit(text: str, width: float, size: float = 8) -> str:
    text = clean_text(str(text))
    if stringWidth(text, pdf_fonts.SANS, size) <= width:
        return text
    while text and stringWidth(text + "…", pdf_fonts.SANS, size) > width:
        text = text[:-1]
    return text + "…"


def _styles():
    sheet = pdf_fonts.stylesheet()
    body = ParagraphStyle("body", parent=sheet["Normal"], fontSize=9.5, leading=13, textColor=INK, spaceAfter=4)
    return {
        "body": body,
        "h1": ParagraphStyle(
            "h1", parent=sheet["Heading1"], fontSize=17, leading=21, textColor=ACCENT, spaceBefore=4, spaceAfter=8
        ),
        "h2": ParagraphStyle(
            "h2",
            parent=sheet["Heading2"],
            fontSize=11.5,
            leading=14,
            textColor=INK,
            spaceBefore=10,
            spaceAfter=4,
        ),
        "note": ParagraphStyle("note", parent=body, fontSize=8.5, leading=11, textColor=MUTED),
        "quote": ParagraphStyle(
            "quote", parent=body, fontName=pdf_fonts.SANS_ITALIC, leftIndent=10, borderPadding=0, spaceAfter=0
        ),
        "cell": ParagraphStyle("cell", parent=body, fontSize=8.5, leading=10.5, spaceAfter=0),
        "cellnum": ParagraphStyle("cellnum", parent=body, fontSize=8.5, leading=10.5, spaceAfter=0, alignment=TA_RIGHT),
        "head": ParagraphStyle(
            "head", parent=body, fontName=pdf_fonts.SANS_BOLD, fontSize=8.5, leading=10.5, spaceAfter=0, textColor=INK
        ),
        "headnum": ParagraphStyle(
            "headnum",
            parent=body,
            fontName=pdf_fonts.SANS_BOLD,
            fontSize=8.5,
            leading=10.5,
            spaceAfter=0,
            textColor=INK,
            alignment=TA_RIGHT,
        ),
        "caption": ParagraphStyle("caption", parent=body, fontSize=8, leading=10, textColor=MUTED, spaceBefore=2),
        "toc1": ParagraphStyle("toc1", parent=body, fontSize=11, leading=18, leftIndent=0),
        "toc2": ParagraphStyle("toc2", parent=body, fontSize=9, leading=13, leftIndent=14, textColor=MUTED),
    }


# --------------------------------------------------------------------------- charts


def _legend(drawing: Drawing, names, palette, y: float):
    x = 0
    for index, name in enumerate(names):
        drawing.add(Rect(x, y, 8, 8, fillColor=colors.HexColor(palette[index % len(palette)]), strokeColor=None))
        label = _fit(name, 120)
        drawing.add(String(x + 11, y + 1, label, fontName=pdf_fonts.SANS, fontSize=7.5, fillColor=INK))
        x += 20 + stringWidth(label, pdf_fonts.SANS, 7.5)


def stacked_chart(labels, series, values, palette, width=CONTENT_W) -> Drawing:
    """One horizontal bar per label, split by series; each bar is as long as its total of the largest."""
    row_h, label_w, total_w = 16, 150, 30
    bar_w = width - label_w - total_w
    height = row_h * len(labels) + 20
    drawing = Drawing(width, height)
    drawing.initialFontName = pdf_fonts.SANS
    _legend(drawing, series, palette, height - 10)
    largest = max((sum(v) for v in values), default=0) or 1
    for index, (label, row) in enumerate(zip(labels, values, strict=True)):
        top = height - 20 - (index + 1) * row_h
        drawing.add(String(0, top + 5, _fit(label, label_w - 6), fontName=pdf_fonts.SANS, fontSize=8, fillColor=INK))
        x = label_w
        for s_index, count in enumerate(row):
            if not count:
                continue
            w = bar_w * count / largest
            colour = colors.HexColor(palette[s_index % len(palette)])
            drawing.add(Rect(x, top + 2, w, row_h - 5, fillColor=colour, strokeColor=colors.white, strokeWidth=0.5))
            if w > 14:
                drawing.add(
                    String(x + w / 2, top + 5.5, str(count), fontName=pdf_fonts.SANS, fontSize=7, textAnchor="middle")
                )
            x += w
        drawing.add(String(x + 4, top + 5, str(sum(row)), fontName=pdf_fonts.SANS, fontSize=7.5, fillColor=MUTED))
    return drawing


def bars_chart(labels, values, width=CONTENT_W) -> Drawing:
    row_h, label_w, count_w = 14, 190, 30
    bar_w = width - label_w - count_w
    drawing = Drawing(width, row_h * len(labels) + 2)
    drawing.initialFontName = pdf_fonts.SANS
    largest = max(values, default=0) or 1
    for index, (label, value) in enumerate(zip(labels, values, strict=True)):
        top = drawing.height - (index + 1) * row_h
        drawing.add(String(0, top + 4, _fit(label, label_w - 6), fontName=pdf_fonts.SANS, fontSize=8, fillColor=INK))
        drawing.add(Rect(label_w, top + 2, bar_w, row_h - 5, fillColor=colors.HexColor("#f1f3f5"), strokeColor=None))
        if value:
            drawing.add(Rect(label_w, top + 2, bar_w * value / largest, row_h - 5, fillColor=ACCENT, strokeColor=None))
        drawing.add(
            String(label_w + bar_w + 5, top + 4, str(value), fontName=pdf_fonts.SANS, fontSize=8, fillColor=INK)
        )
    return drawing


def profile_chart(labels, means, mins, maxs, scale=5, width=CONTENT_W) -> Drawing:
    """A group's mean per dimension as a bar on the 1–5 scale, with its countries' range as a line across it."""
    row_h, label_w, right = 18, 170, 30
    plot_w = width - label_w - right
    height = row_h * len(labels) + 18
    drawing = Drawing(width, height)
    drawing.initialFontName = pdf_fonts.SANS

    def x(value):
        return label_w + plot_w * (value - 1) / (scale - 1)

    for tick in range(1, scale + 1):
        drawing.add(Line(x(tick), 12, x(tick), height, strokeColor=GRID, strokeWidth=0.5))
        drawing.add(
            String(x(tick), 2, str(tick), fontName=pdf_fonts.SANS, fontSize=7.5, textAnchor="middle", fillColor=MUTED)
        )
    for index, label in enumerate(labels):
        top = height - (index + 1) * row_h
        drawing.add(String(0, top + 6, _fit(label, label_w - 6), fontName=pdf_fonts.SANS, fontSize=8, fillColor=INK))
        mean = means[index]
        if mean is None:
            continue
        drawing.add(
            Rect(
                label_w,
                top + 4,
                x(mean) - label_w,
                row_h - 8,
                fillColor=ACCENT_LIGHT,
                strokeColor=ACCENT,
                strokeWidth=0.6,
            )
        )
        if mins[index] is not None and maxs[index] is not None:
            mid = top + row_h / 2
            drawing.add(Line(x(mins[index]), mid, x(maxs[index]), mid, strokeColor=INK, strokeWidth=1.2))
            for end in (mins[index], maxs[index]):
                drawing.add(Line(x(end), mid - 3, x(end), mid + 3, strokeColor=INK, strokeWidth=1.2))
        drawing.add(
            String(width - right + 4, top + 6, f"{mean:.2f}", fontName=pdf_fonts.SANS_BOLD, fontSize=8, fillColor=INK)
        )
    return drawing


def lines_chart(x_labels, series, width=CONTENT_W) -> Drawing:
    legend_rows = (len(series) + 1) // 2
    height, left, bottom, top_pad, right_pad = 150 + 12 * legend_rows, 22, 24 + 12 * legend_rows, 8, 10
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
    for s_index, (name, values) in enumerate(series):
        colour = colors.HexColor(SERIES[s_index % len(SERIES)])
        dash = dashes[s_index % len(dashes)]
        points = []
        for index, value in enumerate(values):
            if value is not None:
                points += [x(index), y(value)]
                drawing.add(Circle(x(index), y(value), 2.4, fillColor=colour, strokeColor=None))
        if len(points) >= 4:
            drawing.add(PolyLine(points, strokeColor=colour, strokeWidth=1.6, strokeDashArray=dash))
        row, column = divmod(s_index, 2)
        lx, ly = column * width / 2, 4 + 12 * (legend_rows - 1 - row)
        drawing.add(Line(lx, ly + 3, lx + 16, ly + 3, strokeColor=colour, strokeWidth=1.6, strokeDashArray=dash))
        drawing.add(String(lx + 20, ly, _fit(name, width / 2 - 26, 7.5), fontName=pdf_fonts.SANS, fontSize=7.5))
    return drawing


def chart_drawing(chart: doc.Chart) -> Drawing:
    data = chart.data
    if chart.kind == "stacked":
        palette = SCALE if data.get("scale") else STATUS if data.get("status") else ATTENDANCE
        return stacked_chart(data["labels"], data["series"], data["values"], palette)
    if chart.kind == "bars":
        return bars_chart(data["labels"], data["values"])
    if chart.kind == "profile":
        return profile_chart(data["labels"], data["means"], data["mins"], data["maxs"], data["scale"])
    return lines_chart(data["x"], data["series"])


# --------------------------------------------------------------------------- the document


class ReportTemplate(BaseDocTemplate):
    def __init__(self, target, document: doc.Document, **kwargs):
        super().__init__(
            target,
            pagesize=A4,
            initialFontName=pdf_fonts.SANS,  # reportlab would otherwise start every page in (unembedded) Helvetica
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=18 * mm,
            bottomMargin=20 * mm,
            title=document.title,
            author=", ".join(document.organizers),
            subject=_("Workshop report"),
            **kwargs,
        )
        self.document = document
        frame = Frame(self.leftMargin, self.bottomMargin, self.width, self.height, id="body")
        self.addPageTemplates(
            [
                PageTemplate(id="cover", frames=[frame], onPage=self._cover),
                PageTemplate(id="body", frames=[frame], onPage=self._footer),
            ]
        )

    def afterFlowable(self, flowable):
        level = getattr(flowable, "toc_level", None)
        if level is not None:
            key = f"s{id(flowable)}"
            self.canv.bookmarkPage(key)
            self.canv.addOutlineEntry(flowable.getPlainText(), key, level=level, closed=level > 0)
            self.notify("TOCEntry", (level, flowable.getPlainText(), self.page, key))

    def _cover(self, canvas, _doc):
        d = self.document
        canvas.saveState()
        canvas.setFillColor(ACCENT)
        canvas.rect(0, PAGE_H - 120 * mm, PAGE_W, 120 * mm, stroke=0, fill=1)
        canvas.setFillColor(colors.HexColor("#ffffff"))
        canvas.setFont(pdf_fonts.SANS, 11)
        canvas.drawString(MARGIN, PAGE_H - 30 * mm, _("WORKSHOP REPORT"))
        y = PAGE_H - 48 * mm
        for line in _wrap(d.title, pdf_fonts.SANS_BOLD, 24, CONTENT_W)[:4]:
            pdf_fonts.draw(canvas, MARGIN, y, line, 24, base=pdf_fonts.SANS_BOLD)
            y -= 30
        canvas.setFont(pdf_fonts.SANS, 12)
        for line in _wrap(d.subtitle, pdf_fonts.SANS, 12, CONTENT_W)[:3]:
            pdf_fonts.draw(canvas, MARGIN, y, line, 12)
            y -= 16
        # A thin band of the five rating colours: the report's signature.
        band_w = PAGE_W / len(SCALE)
        for index, colour in enumerate(SCALE):
            canvas.setFillColor(colors.HexColor(colour))
            canvas.rect(index * band_w, PAGE_H - 123 * mm, band_w, 3 * mm, stroke=0, fill=1)
        canvas.setFillColor(INK)
        y = PAGE_H - 140 * mm
        for label, value in (
            (_("Groups"), d.scope),
            (_("Sessions held"), d.period),
            (_("Organized by"), ", ".join(d.organizers) or "—"),
            (_("Report made"), d.made),
        ):
            canvas.setFont(pdf_fonts.SANS, 8.5)
            canvas.setFillColor(MUTED)
            canvas.drawString(MARGIN, y, label.upper())
            canvas.setFillColor(INK)
            canvas.setFont(pdf_fonts.SANS, 11)
            lines = _wrap(value, pdf_fonts.SANS, 11, CONTENT_W)[:3]
            for offset, line in enumerate(lines):
                pdf_fonts.draw(canvas, MARGIN, y - 14 - 14 * offset, line, 11)
            y -= 24 + 14 * len(lines)
        canvas.setFont(pdf_fonts.SANS, 8)
        canvas.setFillColor(MUTED)
        canvas.drawString(
            MARGIN, 15 * mm, _fit(_("Figures drawn from the Workshop Portal on the date above."), CONTENT_W)
        )
        canvas.restoreState()

    def _footer(self, canvas, _doc):
        canvas.saveState()
        number = str(canvas.getPageNumber())
        canvas.setStrokeColor(GRID)
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN, FOOTER_Y + 10, PAGE_W - MARGIN, FOOTER_Y + 10)
        canvas.setFont(pdf_fonts.SANS, 8)
        canvas.setFillColor(MUTED)
        number_w = stringWidth(number, pdf_fonts.SANS_BOLD, 9)
        # The running title stops well before the page number, so the two never overlap.
        title = _fit(f"{self.document.title} · {self.document.scope}", CONTENT_W - number_w - 24)
        pdf_fonts.draw(canvas, MARGIN, FOOTER_Y, title, 8)
        canvas.setFont(pdf_fonts.SANS_BOLD, 9)
        canvas.setFillColor(INK)
        canvas.drawRightString(PAGE_W - MARGIN, FOOTER_Y, number)
        canvas.restoreState()


def _wrap(text: str, font: str, size: float, width: float) -> list[str]:
    lines, current = [], ""
    for word in clean_text(text or "").split():
        candidate = f"{current} {word}".strip()
        if stringWidth(candidate, font, size) <= width or not current:
            current = candidate
        else:
            lines.append(current)
            current = word
    return [*lines, current] if current else lines


def _table(block: doc.Table, styles) -> RLTable:
    widths = [CONTENT_W * share for share in (block.widths or [1 / len(block.headers)] * len(block.headers))]
    # Figures' headings sit right, above their right-aligned figures.
    rows = [[_p(h, styles["headnum" if i >= block.numeric_from else "head"]) for i, h in enumerate(block.headers)]]
    for row in block.rows:
        rows.append(
            [
                _p("—" if value is None else value, styles["cellnum" if i >= block.numeric_from else "cell"])
                for i, value in enumerate(row)
            ]
        )
    table = RLTable(rows, colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                # The cells' own font: reportlab sets it before each cell even when a Paragraph draws the text,
                # and its default (Helvetica) would otherwise sit in every page's resources, declared but unused.
                ("FONT", (0, 0), (-1, -1), pdf_fonts.SANS, 8.5, 10.5),
                ("BACKGROUND", (0, 0), (-1, 0), ACCENT_LIGHT),
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, ACCENT),
                ("LINEBELOW", (0, 1), (-1, -1), 0.3, GRID),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 2.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
            ]
        )
    )
    return table


KEEP_ROWS = 12  # a table this short never splits: a page ending after its first rows, or beginning with its last


def _kept(table: RLTable, block: doc.Table):
    """A short table as a list: what story() keeps together (with a heading before it), never nested."""
    return [table] if len(block.rows) <= KEEP_ROWS else table


def _block(block, styles) -> list:
    """The flowables of one block; the first one is what a heading before it keeps with."""
    if isinstance(block, doc.Para):
        return [_p(block.text, styles[block.style])]
    if isinstance(block, doc.Bullets):
        return [
            ListFlowable(
                [ListItem(_p(item, styles["body"]), leftIndent=12) for item in block.items],
                bulletType="bullet",
                start="•",
                bulletFontName=pdf_fonts.SANS,
                leftIndent=12,
            )
        ]
    if isinstance(block, doc.Table):
        return [_kept(_table(block, styles), block), Spacer(1, 6)]
    if isinstance(block, doc.Chart):
        parts = [Spacer(1, 4), chart_drawing(block)]
        if block.caption:
            parts.append(_p(block.caption, styles["caption"]))
        flow = [parts, Spacer(1, 6)]  # a list: kept together
        if block.table is not None and block.kind in ("stacked", "lines", "profile"):
            flow += [_kept(_table(block.table, styles), block.table), Spacer(1, 6)]
        return flow
    return []  # PageBreak: every section already starts on a new page


def story(document: doc.Document) -> list:
    styles = _styles()
    toc = TableOfContents(tableStyle=TableStyle([*TOC_STYLE.getCommands(), ("FONT", (0, 0), (-1, -1), pdf_fonts.SANS)]))
    toc.levelStyles = [styles["toc1"], styles["toc2"]]
    flow = [Spacer(1, 1), NextPageTemplate("body"), RLPageBreak(), _p(_("Contents"), styles["h1"]), toc]
    heading = None  # a subsection heading waiting for what follows it, so it never ends a page alone
    for block in document.blocks:
        if isinstance(block, doc.Heading):
            if heading is not None:
                flow.append(heading)
            paragraph = _p(block.text, styles["h1" if block.level == 1 else "h2"])
            paragraph.toc_level = block.level - 1
            if block.level == 1:
                flow += [RLPageBreak(), paragraph]  # every section starts on a new page
                heading = None
            else:
                heading = paragraph
            continue
        parts = _block(block, styles)
        if not parts:
            continue
        first, rest = parts[0], parts[1:]
        first = first if isinstance(first, list) else [first]
        if heading is not None:
            first = [heading, *first]
            heading = None
        flow.append(KeepTogether(first) if len(first) > 1 else first[0])
        flow += [KeepTogether(p) if isinstance(p, list) else p for p in rest]
    if heading is not None:
        flow.append(heading)
    return flow


def render(document: doc.Document) -> bytes:
    buffer = BytesIO()
    template = ReportTemplate(buffer, document)
    # Two passes: the first finds the page of every heading, the second writes the contents with them.
    template.multiBuild(story(document))
    return buffer.getvalue()
