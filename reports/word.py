"""The report as an editable Word document (python-docx): the same blocks as the PDF. Each chart is the PDF's
drawing as a picture (common.drawing_png, offline), with alt text, and its figures as a table beside it, for
readers who cannot see the picture and for those who want to copy the figures."""

from __future__ import annotations

from io import BytesIO

from django.utils.translation import gettext as _
from docx import Document as WordDocument
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu, Pt, RGBColor

from common import drawing_png, pdf_fonts
from common.exports import printable as clean_text

from . import document as doc
from .pdf import chart_drawing

ACCENT = RGBColor(0x0B, 0x5C, 0xAB)
MUTED = RGBColor(0x5F, 0x6B, 0x76)


def _text(value) -> str:
    return clean_text("—" if value is None else str(value))


def _field(paragraph, instruction: str, placeholder: str = ""):
    """A Word field (PAGE, TOC): Word fills it in when the document is opened or printed."""
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    begin.set(qn("w:dirty"), "true")
    run._r.append(begin)
    code = OxmlElement("w:instrText")
    code.set(qn("xml:space"), "preserve")
    code.text = instruction
    run._r.append(code)
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    run._r.append(separate)
    shown = paragraph.add_run(placeholder)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    shown._r.append(end)


def _table(word, block: doc.Table):
    table = word.add_table(rows=1, cols=len(block.headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    for index, (cell, header) in enumerate(zip(table.rows[0].cells, block.headers, strict=True)):
        cell.text = ""
        run = cell.paragraphs[0].add_run(_text(header))
        run.bold = True
        run.font.size = Pt(8.5)
        if index >= block.numeric_from:
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for row in block.rows:
        cells = table.add_row().cells
        for index, value in enumerate(row):
            paragraph = cells[index].paragraphs[0]
            run = paragraph.add_run(_text(value))
            run.font.size = Pt(8.5)
            if index >= block.numeric_from:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    word.add_paragraph()


def _has_figures(chart: doc.Chart) -> bool:
    data = chart.data
    return bool(data.get("labels") if chart.kind != "lines" else data.get("x") and data.get("series"))


def _picture(word, chart: doc.Chart):
    """The chart as the PDF draws it, as wide as the text (never wider than drawn), described for screen readers."""
    drawing = chart_drawing(chart)
    section = word.sections[-1]
    width = min(section.page_width - section.left_margin - section.right_margin, Pt(drawing.width))
    paragraph = word.add_paragraph()
    paragraph.paragraph_format.keep_with_next = True
    shape = paragraph.add_run().add_picture(BytesIO(drawing_png.render(drawing)), width=Emu(int(width)))
    where = (
        _("The figures are in the table below.")
        if chart.table is not None
        else _("The figures are in the table above.")
    )
    described = shape._inline.docPr
    described.set("descr", _text(f"{chart.caption}. {where}" if chart.caption else where))
    described.set("title", _text(chart.caption or _("Chart")))


def render(document: doc.Document) -> bytes:
    pdf_fonts.register()  # the charts' drawings measure their labels in the PDF fonts
    word = WordDocument()
    word.core_properties.title = document.title
    word.core_properties.subject = _("Workshop report")
    normal = word.styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(10)

    # Cover
    label = word.add_paragraph()
    run = label.add_run(_("WORKSHOP REPORT"))
    run.font.color.rgb = ACCENT
    run.bold = True
    word.add_heading(document.title, level=0)
    if document.subtitle:
        word.add_paragraph(document.subtitle)
    for name, value in (
        (_("Groups"), document.scope),
        (_("Sessions held"), document.period),
        (_("Organized by"), ", ".join(document.organizers) or "—"),
        (_("Report made"), document.made),
    ):
        paragraph = word.add_paragraph()
        head = paragraph.add_run(f"{name}: ")
        head.bold = True
        head.font.color.rgb = MUTED
        paragraph.add_run(_text(value))

    # Contents, then a new section whose footer carries the page number.
    word.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    word.add_heading(_("Contents"), level=1)
    _field(word.add_paragraph(), 'TOC \\o "1-2" \\h \\z \\u', "\n".join(document.sections))
    body = word.add_section(WD_SECTION.NEW_PAGE)
    body.footer.is_linked_to_previous = False
    footer = body.footer.paragraphs[0]
    footer.text = ""
    title_run = footer.add_run(_text(f"{document.title} · {document.scope}"))
    title_run.font.size = Pt(8)
    title_run.font.color.rgb = MUTED
    footer.add_run("\t\t")
    _field(footer, "PAGE", "1")

    first = True
    for block in document.blocks:
        if isinstance(block, doc.Heading):
            if block.level == 1 and not first:
                word.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
            first = False
            word.add_heading(_text(block.text), level=block.level)
        elif isinstance(block, doc.Para):
            paragraph = word.add_paragraph()
            run = paragraph.add_run(_text(block.text))
            if block.style == "note":
                run.font.size = Pt(8.5)
                run.font.color.rgb = MUTED
            elif block.style == "quote":
                run.italic = True
        elif isinstance(block, doc.Bullets):
            for item in block.items:
                word.add_paragraph(_text(item), style="List Bullet")
        elif isinstance(block, doc.Table):
            _table(word, block)
        elif isinstance(block, doc.Chart):
            if _has_figures(block):
                _picture(word, block)
            if block.caption:
                caption = word.add_paragraph()
                run = caption.add_run(_text(block.caption))
                run.italic = True
                run.font.size = Pt(8.5)
            if block.table is not None:
                _table(word, block.table)
        # PageBreak: every section already starts on a new page.
    buffer = BytesIO()
    word.save(buffer)
    return buffer.getvalue()
