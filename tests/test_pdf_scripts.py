"""Any name in any script: certificates, evaluation and action-plan PDFs embed fonts that carry every glyph."""

import io
import unicodedata
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import SimpleDocTemplate

from common import pdf_fonts
from evaluations import pdf as evaluation_pdf
from evaluations import reports
from evaluations import services as evaluation_services
from live import certificates
from live.certificates import CertificateContext
from live.models import Certificate
from sessions_app.models import SessionOccurrence

from .factories import CountryFactory, ParticipantFactory
from .factories_action_plans import action
from .factories_assessments import build_instrument, build_run
from .factories_evaluations import answer_all

VIETNAMESE, RUSSIAN, ARABIC, CHINESE = "Nguyễn Thị Minh Khai", "Ольга Петрова", "محمد الأمين", "王小明"
GREEK = "Ελένη Παπαδοπούλου"
NAMES = [VIETNAMESE, RUSSIAN, ARABIC, CHINESE, GREEK]
LATIN_SCRIPT_NAMES = [VIETNAMESE, RUSSIAN, CHINESE, GREEK]  # extracted in logical order, as typed


def pdf_text(content: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def embedded_fonts(content: bytes) -> set[str]:
    """Base names of the fonts each page uses, without the subset prefix (ABCDEF+PortalSans)."""
    names = set()
    for page in PdfReader(io.BytesIO(content)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            descriptor = (descendants[0].get_object() if descendants else font).get("/FontDescriptor")
            assert descriptor is not None and any(
                key in descriptor.get_object() for key in ("/FontFile2", "/FontFile3", "/FontFile")
            ), f"{font['/BaseFont']} is not embedded"
            names.add(str(font["/BaseFont"]).split("+")[-1])
    return names


def postscript(*fonts: str) -> set[str]:
    """The names the PDF gives our fonts (the TrueType files' own PostScript names)."""
    pdf_fonts.register()
    return {pdfmetrics.getFont(font).face.name.decode() for font in fonts}


def arabic_is_present(text: str) -> bool:
    """The Arabic name, shaped and in visual order as drawn, or as typed, whichever the extractor gives."""
    shaped = pdf_fonts.visual(ARABIC)
    compact = text.replace(" ", "")
    return any(form.replace(" ", "") in compact for form in (ARABIC, shaped, shaped[::-1]))


def certificate_for(name: str) -> Certificate:
    return Certificate(
        code="ABCDEFGHJKLMNPQR"[: Certificate._meta.get_field("code").max_length],
        holder_name=name,
        workshop_title="Innovation and Digital Government",
        group_name="Group A",
        first_session_on=date(2021, 3, 23),
        last_session_on=date(2021, 4, 6),
        sessions_attended=3,
        issued_at=timezone.make_aware(timezone.datetime(2021, 4, 7, 12)),
    )


CONTEXT = CertificateContext(subtitle="workshop", organizers=["UN DESA"], signatories=["Ольга Петрова, Director"])


@pytest.mark.parametrize("name", NAMES, ids=["vietnamese", "cyrillic", "arabic", "chinese", "greek"])
def test_a_certificate_prints_a_name_in_any_script_with_embedded_fonts(name):
    content = certificates.render(certificate_for(name), CONTEXT)
    text = pdf_text(content)
    if name == ARABIC:
        assert arabic_is_present(text)
    else:
        assert name in text
    fonts = embedded_fonts(content)
    assert not fonts & {"Helvetica", "Helvetica-Bold", "Times-BoldItalic"}  # Latin-1 only, never embedded
    expected = {ARABIC: pdf_fonts.ARABIC, CHINESE: pdf_fonts.CJK}.get(name, pdf_fonts.SANS)
    assert postscript(expected) <= fonts


def test_every_script_has_a_font_with_its_glyphs():
    assert pdf_fonts.cjk_font_path() is not None, "the CJK font is installed by `make` (fonts-droid-fallback)"
    for name in NAMES:
        for font, part in pdf_fonts.runs(name):
            charmap = pdf_fonts._charmap(font)
            missing = [char for char in part if not char.isspace() and ord(char) not in charmap]
            assert not missing, f"{font} lacks {missing} of {name}"


def test_arabic_is_shaped_and_right_to_left():
    shaped = pdf_fonts.visual(ARABIC)
    assert shaped != ARABIC
    assert all(not ("\u0600" <= char <= "\u06ff") for char in shaped if not char.isspace())  # joined forms
    # Visual order: the first word typed (محمد) is drawn last, at the right.
    assert shaped.split(" ")[-1] == pdf_fonts.visual("محمد")
    assert pdf_fonts.visual("Ada Lovelace") == "Ada Lovelace"


ARABIC_WORDS = ["الأول", "الثاني", "الثالث", "الرابع", "الخامس", "السادس", "السابع", "الثامن", "التاسع", "العاشر"]


def _drawn_lines(content: bytes) -> list[list[str]]:
    """The words of each line of the first page, top line first, in Arabic letters whatever the extractor's order
    (presentation forms folded back by NFKC, reversed runs turned round)."""
    found = []

    def visit(text, _cm, matrix, _font, _size):
        if text.strip():
            found.append((matrix[5], text))

    PdfReader(io.BytesIO(content)).pages[0].extract_text(visitor_text=visit)
    lines = []
    for _y, text in sorted(found, key=lambda item: -item[0]):
        words = unicodedata.normalize("NFKC", text).split()
        lines.append([word if word in ARABIC_WORDS else word[::-1] for word in words])
    return lines


def test_a_long_right_to_left_paragraph_wraps_in_reading_order_each_line_shaped():
    text = " ".join(ARABIC_WORDS)
    pdf_fonts.register()
    style = ParagraphStyle("body", fontName=pdf_fonts.SANS, fontSize=12, leading=16)
    paragraph = pdf_fonts.TextParagraph(text, style)
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=(200, 400), leftMargin=20, rightMargin=20, topMargin=20, bottomMargin=20).build(
        [paragraph]
    )
    width = paragraph._cut_for - pdf_fonts.WRAP_SLACK  # the frame's width, less its padding
    expected = [line.split() for line in pdf_fonts.wrap(text, 12, width)]
    assert len(expected) >= 3
    drawn = _drawn_lines(buffer.getvalue())
    # The first words typed are on the top line, the last ones at the bottom: reading order, line by line.
    assert [sorted(words) for words in drawn] == [sorted(words) for words in expected]
    assert ARABIC_WORDS[0] in drawn[0] and ARABIC_WORDS[-1] in drawn[-1]
    # Each line is shaped (joined letter forms) and right to left on its own: its first word drawn rightmost.
    assert paragraph.text == "<br/>".join(pdf_fonts.markup(" ".join(words)) for words in expected)
    for words in expected:
        shaped = pdf_fonts.visual(" ".join(words))
        assert shaped.split(" ")[-1] == pdf_fonts.visual(words[0]) and shaped in paragraph.text
    assert paragraph.style.alignment == TA_RIGHT  # an Arabic paragraph reads from the right edge


def test_a_paragraph_without_right_to_left_text_is_left_to_reportlab():
    style = ParagraphStyle("body", fontName=pdf_fonts.SANS, fontSize=12, leading=16)
    paragraph = pdf_fonts.TextParagraph("Ada <Lovelace> & 王小明", style)
    assert paragraph.text == pdf_fonts.markup("Ada <Lovelace> & 王小明") and "&lt;Lovelace&gt;" in paragraph.text
    assert paragraph.style is style


def test_long_names_without_spaces_wrap_inside_the_line():
    lines = pdf_fonts.wrap(CHINESE * 40, 32, 300)
    assert len(lines) > 1 and "".join(lines) == CHINESE * 40
    assert all(pdf_fonts.string_width(line, 32) <= 300 for line in lines)


def test_an_evaluation_pdf_prints_comments_in_any_script(programme):
    evaluation_services.ensure_forms(programme)
    occurrence = SessionOccurrence.objects.select_related("session").get(cohort__name="Group A", session__number=2)
    from evaluations import selectors

    form = selectors.form_for_occurrence(occurrence)
    people = [ParticipantFactory(cohort=occurrence.cohort) for _ in range(4)]
    base = {"relevance": 4, "presentations": 5, "activities": 3, "time-management": 4, "platform": 2}
    answer_all(form, people, [{**base, "improve": f"{name} & <b>co</b>"} for name in NAMES[:4]])
    content = evaluation_pdf.form_pdf(reports.form_report(form))
    text = " ".join(pdf_text(content).split())
    for name in LATIN_SCRIPT_NAMES[:3]:
        assert f"{name} & <b>co</b>" in text
    assert arabic_is_present(text)
    assert postscript(pdf_fonts.SANS, pdf_fonts.ARABIC, pdf_fonts.CJK) <= embedded_fonts(content)


@pytest.fixture
def during_the_course(time_machine):
    time_machine.move_to("2021-03-20T12:00:00Z")


def test_an_action_plan_pdf_prints_titles_in_any_script(client, programme, during_the_course):
    cohort = programme.cohorts.get(name="Group A")
    country = CountryFactory(name="Viet Nam", code="VN")
    member = ParticipantFactory(cohort=cohort, country=country)
    dimension = build_run(programme, build_instrument()).instrument.dimensions.first()
    for name in NAMES:
        action(member, dimension, title=f"Plan of {name}")
    client.force_login(member.user)
    response = client.get(reverse("action_plans:plan_pdf", args=[cohort.pk, country.code]))
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(pdf_text(response.content).split())
    for name in LATIN_SCRIPT_NAMES:
        assert f"Plan of {name}" in text
    assert arabic_is_present(text)
    assert postscript(pdf_fonts.SANS, pdf_fonts.ARABIC, pdf_fonts.CJK) <= embedded_fonts(response.content)


def test_the_workshop_report_pdf_prints_any_script_with_embedded_fonts(programme):
    from reports import document, pdf, selectors

    programme.title = f"{VIETNAMESE} · {RUSSIAN} · {CHINESE} · {ARABIC}"
    programme.save()
    content = pdf.render(document.build(selectors.report_data(programme)))
    text = " ".join(pdf_text(content).split())
    for name in (VIETNAMESE, RUSSIAN, CHINESE):
        assert name in text
    assert arabic_is_present(text)
    fonts = {
        str(font.get_object()["/BaseFont"]).split("+")[-1]
        for page in PdfReader(io.BytesIO(content)).pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert postscript(pdf_fonts.SANS, pdf_fonts.ARABIC, pdf_fonts.CJK) <= fonts
