"""Certificates of participation as PDF (reportlab), one at a time or a group's as one zip file."""

from __future__ import annotations

import io
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.urls import reverse
from django.utils.dateformat import format as date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext
from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import cm
from reportlab.pdfgen import canvas

from common import pdf_fonts
from common.i18n import override_for
from common.translations import translated

from .models import Certificate

INK = HexColor("#1b2a41")
ACCENT = HexColor("#0d6efd")
MUTED = HexColor("#5c6773")


@dataclass
class CertificateContext:
    """What a certificate prints besides its own record: the same for everyone in a workshop."""

    subtitle: str
    organizers: list[str]
    signatories: list[str]
    # The workshop whose translated title and subtitle are printed in the holder's language (none: the originals).
    workshop: object = None


def verification_url(certificate: Certificate) -> str:
    return f"{settings.SITE_URL}{reverse('attendance:verify_certificate')}?code={certificate.display_code}"


def period_text(first: date, last: date) -> str:
    # Month names from Django's localisation, so a translated portal prints them in its language.
    full = pgettext("date format: day month year", "j F Y")
    if first == last:
        return _("on %(date)s") % {"date": date_format(first, full)}
    start = date_format(first, pgettext("date format: day month", "j F") if first.year == last.year else full)
    return _("from %(first)s to %(last)s") % {"first": start, "last": date_format(last, full)}


def filename(certificate: Certificate) -> str:
    return f"certificate-{slugify(certificate.holder_name) or 'participant'}-{certificate.code[:4].lower()}.pdf"


def _centred_lines(pdf, text, font, size, y, width, leading=None) -> float:
    """Centred, wrapped lines; each run of text in the font that has its script (any name in any script)."""
    leading = leading or size * 1.25
    page_width = pdf._pagesize[0]
    for line in pdf_fonts.wrap(text, size, width, font):
        pdf_fonts.draw_centred(pdf, page_width / 2, y, line, size, font)
        y -= leading
    return y


def holder_language_override(certificate: Certificate, context: CertificateContext):
    """The holder's language (their choice, else the workshop's), whoever downloads: a group's zip holds each
    certificate in its holder's language."""
    participant = certificate.participant
    return override_for(participant.user if participant else None, workshop=context.workshop)


def printed_titles(certificate: Certificate, context: CertificateContext) -> tuple[str, str]:
    """The workshop's title and subtitle in the active language where translated. The title is the one copied at
    issue: only while it is still the workshop's title is its translation printed instead."""
    workshop = context.workshop
    if workshop is None:
        return certificate.workshop_title, context.subtitle
    title = certificate.workshop_title
    if title == workshop.title:
        title = translated(workshop, "title")
    subtitle = translated(workshop, "subtitle") if context.subtitle == workshop.subtitle else context.subtitle
    return title, subtitle


def render(certificate: Certificate, context: CertificateContext) -> bytes:
    with holder_language_override(certificate, context):
        return _render(certificate, context)


def _render(certificate: Certificate, context: CertificateContext) -> bytes:
    workshop_title, workshop_subtitle = printed_titles(certificate, context)
    pdf_fonts.register()
    bold, regular, italic = pdf_fonts.SANS_BOLD, pdf_fonts.SANS, pdf_fonts.SANS_ITALIC
    buffer = io.BytesIO()
    width, height = landscape(A4)
    pdf = canvas.Canvas(buffer, pagesize=(width, height), initialFontName=pdf_fonts.SANS)
    pdf.setTitle(_("Certificate of participation – %(name)s") % {"name": certificate.holder_name})
    pdf.setAuthor(", ".join(context.organizers) or "Workshop Portal")
    pdf.setSubject(workshop_title)

    pdf.setStrokeColor(ACCENT)
    pdf.setLineWidth(3)
    pdf.rect(1.2 * cm, 1.2 * cm, width - 2.4 * cm, height - 2.4 * cm)
    pdf.setLineWidth(0.8)
    pdf.rect(1.5 * cm, 1.5 * cm, width - 3 * cm, height - 3 * cm)

    text_width = width - 7 * cm
    pdf.setFillColor(ACCENT)
    y = _centred_lines(pdf, _("CERTIFICATE OF PARTICIPATION"), bold, 28, height - 4.2 * cm, text_width)
    pdf.setFillColor(MUTED)
    y = _centred_lines(pdf, _("This is to certify that"), regular, 14, y - 0.6 * cm, text_width)
    pdf.setFillColor(INK)
    y = _centred_lines(pdf, certificate.holder_name, bold, 32, y - 0.9 * cm, text_width)
    pdf.setFillColor(MUTED)
    subtitle = workshop_subtitle or _("workshop")
    if certificate.sessions_attended == 1:
        lead = _("took part in the session of the %(subtitle)s") % {"subtitle": subtitle}
    else:
        lead = ngettext(
            "took part in all %(count)d session of the %(subtitle)s",
            "took part in all %(count)d sessions of the %(subtitle)s",
            certificate.sessions_attended,
        ) % {"count": certificate.sessions_attended, "subtitle": subtitle}
    y = _centred_lines(pdf, lead.rstrip(), regular, 14, y - 0.2 * cm, text_width)
    pdf.setFillColor(INK)
    y = _centred_lines(pdf, workshop_title, bold, 17, y - 0.3 * cm, text_width)
    pdf.setFillColor(MUTED)
    period = period_text(certificate.first_session_on, certificate.last_session_on)
    held = _("%(group)s, held online %(period)s") % {"group": certificate.group_name, "period": period}
    y = _centred_lines(pdf, held, regular, 13, y - 0.2 * cm, text_width)
    if context.organizers:
        organized = _("Organized by %(names)s") % {"names": _join(context.organizers)}
        _centred_lines(pdf, organized, italic, 12, y - 0.3 * cm, text_width)

    if context.signatories:
        column = (width - 6 * cm) / len(context.signatories)
        for index, signatory in enumerate(context.signatories):
            x = 3 * cm + column * index + column / 2
            pdf.setStrokeColor(MUTED)
            pdf.line(x - column / 2 + 0.8 * cm, 4.6 * cm, x + column / 2 - 0.8 * cm, 4.6 * cm)
            pdf.setFillColor(INK)
            line_y = 4.1 * cm
            for line in pdf_fonts.wrap(signatory, 10, column - 1.6 * cm)[:3]:
                pdf_fonts.draw_centred(pdf, x, line_y, line, 10)
                line_y -= 12

    url = verification_url(certificate)
    pdf.setFillColor(MUTED)
    pdf_fonts.draw(pdf, 2.2 * cm, 2.6 * cm, _("Verification code: %(code)s") % {"code": certificate.display_code}, 9)
    pdf_fonts.draw(pdf, 2.2 * cm, 2.15 * cm, _("Check it at %(url)s") % {"url": url}, 9)
    issued = _("Issued %(date)s") % {
        "date": date_format(certificate.issued_at, pgettext("date format: day month year", "j F Y"))
    }
    pdf_fonts.draw(pdf, 2.2 * cm, 1.7 * cm + 2, issued, 9)

    qr = QrCodeWidget(url)
    left, bottom, right, top = qr.getBounds()
    size = 2.4 * cm
    drawing = Drawing(size, size, transform=[size / (right - left), 0, 0, size / (top - bottom), 0, 0])
    drawing.initialFontName = pdf_fonts.SANS  # reportlab's renderer would otherwise start in Helvetica
    drawing.add(qr)
    renderPDF.draw(drawing, pdf, width - 2.0 * cm - size, 1.8 * cm)

    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _join(names: list[str]) -> str:
    if len(names) <= 2:
        return _(" and ").join(names)
    return _("%(names)s and %(last)s") % {"names": ", ".join(names[:-1]), "last": names[-1]}


def zip_file(certificates: list[Certificate], context: CertificateContext):
    """The certificates in one zip, spooled to disk past a few megabytes; returns the open file at its start."""
    # Left open on purpose: the response streams it and closes it.
    spool = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115
    used = set()
    with zipfile.ZipFile(spool, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for certificate in certificates:
            name = filename(certificate)
            if name in used:  # two people with the same name
                name = name.replace(".pdf", f"-{certificate.pk}.pdf")
            used.add(name)
            archive.writestr(name, render(certificate, context))
    spool.seek(0)
    return spool
