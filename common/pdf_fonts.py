"""Fonts for every PDF the portal makes: any name in any script.

No single TrueType font covers Latin (with Vietnamese), Greek, Cyrillic, Arabic and Chinese, so the PDFs
use a small family and pick, for each run of text, the first font that has its glyphs:

    PortalSans    Noto Sans (pip wheel ``fontpkg-noto-sans``): Latin incl. Vietnamese, Greek, Cyrillic
    PortalArabic  Noto Sans Arabic (pip wheel ``fontpkg-noto-sans-arabic``)
    PortalCJK     Droid Sans Fallback (Debian's ``fonts-droid-fallback``, installed by ``make`` and the
                  Dockerfile): Chinese, Japanese, Korean

Fonts are embedded (subset) in each PDF; nothing is downloaded at run time. Arabic is shaped (joined
letter forms, ``arabic-reshaper``) and put in visual order (``python-bidi``) because reportlab draws
glyphs left to right as given.

    from common import pdf_fonts
    pdf_fonts.register()                      # once per process; cheap after the first call
    pdf_fonts.draw_centred(canvas, x, y, "محمد الأمين", size=20)
    pdf_fonts.TextParagraph("王小明 & co", style)       # people's text as a Paragraph: escaped, any script,
                                                       # right-to-left lines cut in reading order
    Paragraph(pdf_fonts.markup("王小明 & co"), style)   # a line of text as Paragraph markup (no wrapping)

Right-to-left text is cut into lines in logical order first (``wrap``) and only then is each line shaped and
reversed for display: reversing a whole paragraph and letting reportlab cut it left to right would put its last
words on the first line.
"""

from __future__ import annotations

import os
import threading
import unicodedata
from functools import lru_cache
from html import escape
from pathlib import Path

from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.fonts import addMapping
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus.paragraph import Paragraph, cleanBlockQuotedText

SANS = "PortalSans"
SANS_BOLD = "PortalSans-Bold"
SANS_ITALIC = "PortalSans-Italic"
SANS_BOLD_ITALIC = "PortalSans-BoldItalic"
ARABIC = "PortalArabic"
CJK = "PortalCJK"

# Debian's fonts-droid-fallback; PDF_CJK_FONT points elsewhere (another TrueType-outline CJK font).
CJK_FONT_PATHS = (
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    "/usr/share/fonts-droid-fallback/truetype/DroidSansFallback.ttf",
)

_lock = threading.Lock()
_registered: list[str] = []  # fallback order, filled by register()


def _wheel_font(module_name: str, pattern: str) -> Path:
    module = __import__(module_name)
    matches = sorted(Path(module.ROOT, "files").glob(pattern))
    if not matches:
        raise FileNotFoundError(f"{module_name} ships no {pattern}")
    return matches[0]


def cjk_font_path() -> Path | None:
    candidates = [os.environ.get("PDF_CJK_FONT", ""), *CJK_FONT_PATHS]
    for candidate in candidates:
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    return None


def register() -> list[str]:
    """Register the portal's fonts with reportlab (idempotent); returns the fallback order."""
    if _registered:
        return _registered
    with _lock:
        if _registered:
            return _registered
        sans = _wheel_font("fontpkg_noto_sans", "NotoSans[[]*.ttf")
        italic = _wheel_font("fontpkg_noto_sans", "NotoSans-Italic*.ttf")
        # Variable fonts: reportlab draws their default instance (regular weight). The bold names map to
        # the same outlines so <b> in a Paragraph never falls back to a Latin-1-only standard font.
        pdfmetrics.registerFont(TTFont(SANS, sans))
        pdfmetrics.registerFont(TTFont(SANS_BOLD, sans))
        pdfmetrics.registerFont(TTFont(SANS_ITALIC, italic))
        pdfmetrics.registerFont(TTFont(SANS_BOLD_ITALIC, italic))
        pdfmetrics.registerFontFamily(
            SANS, normal=SANS, bold=SANS_BOLD, italic=SANS_ITALIC, boldItalic=SANS_BOLD_ITALIC
        )
        for bold, italic_flag, name in ((0, 0, SANS), (1, 0, SANS_BOLD), (0, 1, SANS_ITALIC), (1, 1, SANS_BOLD_ITALIC)):
            addMapping(SANS, bold, italic_flag, name)
        order = [SANS]
        pdfmetrics.registerFont(TTFont(ARABIC, _wheel_font("fontpkg_noto_sans_arabic", "NotoSansArabic*.ttf")))
        order.append(ARABIC)
        cjk = cjk_font_path()
        if cjk is not None:
            pdfmetrics.registerFont(TTFont(CJK, cjk))
            order.append(CJK)
        _registered.extend(order)
    return _registered


@lru_cache(maxsize=8)
def _charmap(font_name: str) -> frozenset[int]:
    return frozenset(pdfmetrics.getFont(font_name).face.charToGlyph)


def font_for(char: str, base: str = SANS) -> str:
    """The first font (the base one first) that has a glyph for the character."""
    order = register()
    code = ord(char)
    if code in _charmap(base):
        return base
    for name in order:
        if code in _charmap(name):
            return name
    return base


def _is_rtl(char: str) -> bool:
    return unicodedata.bidirectional(char) in ("R", "AL")


def is_right_to_left(text: str) -> bool:
    """The text's first strong character is right-to-left (Arabic, Hebrew): its lines read from the right."""
    for char in text:
        direction = unicodedata.bidirectional(char)
        if direction == "L":
            return False
        if direction in ("R", "AL"):
            return True
    return False


def visual(text: str) -> str:
    """Arabic letters joined (presentation forms) and right-to-left runs in display order."""
    if not any(_is_rtl(char) for char in text):
        return text
    import arabic_reshaper
    from bidi import get_display

    return get_display(arabic_reshaper.reshape(text))


def runs(text: str, base: str = SANS) -> list[tuple[str, str]]:
    """The text, in display order, cut into (font, text) runs; spaces and marks stay with their run."""
    result: list[tuple[str, str]] = []
    for char in visual(text):
        if result and (char.isspace() or unicodedata.category(char).startswith("M")):
            font = result[-1][0]
        else:
            font = font_for(char, base)
        if result and result[-1][0] == font:
            result[-1] = (font, result[-1][1] + char)
        else:
            result.append((font, char))
    return result


def string_width(text: str, size: float, base: str = SANS) -> float:
    return sum(pdfmetrics.stringWidth(part, font, size) for font, part in runs(text, base))


def draw(canvas, x: float, y: float, text: str, size: float, base: str = SANS) -> float:
    """Draw the text from x, each run in its font; returns the width drawn."""
    start = x
    bold = base in (SANS_BOLD, SANS_BOLD_ITALIC)
    if bold:  # the variable fonts draw their regular weight: embolden by stroking the outline in the text colour
        canvas.saveState()
        canvas.setStrokeColor(canvas._fillColorObj)
        canvas.setLineWidth(size * 0.03)
    for font, part in runs(text, base):
        canvas.setFont(font, size)
        canvas.drawString(x, y, part, mode=2 if bold else None)
        x += pdfmetrics.stringWidth(part, font, size)
    if bold:
        canvas.restoreState()
    return x - start


def draw_centred(canvas, x: float, y: float, text: str, size: float, base: str = SANS) -> None:
    draw(canvas, x - string_width(text, size, base) / 2, y, text, size, base)


def wrap(text: str, size: float, width: float, base: str = SANS) -> list[str]:
    """Lines of at most ``width`` points; words longer than a line (or scripts without spaces) are cut."""
    lines: list[str] = []
    for paragraph in str(text).splitlines() or [""]:
        line = ""
        for word in paragraph.split(" "):
            candidate = f"{line} {word}" if line else word
            if string_width(candidate, size, base) <= width:
                line = candidate
                continue
            if line:
                lines.append(line)
            line = ""
            for char in word:  # a word wider than the line: cut it (Chinese has no spaces)
                if line and string_width(line + char, size, base) > width:
                    lines.append(line)
                    line = ""
                line += char
        lines.append(line)
    return lines


def markup(text, base: str = SANS) -> str:
    """Escaped text for a reportlab Paragraph, with ``<font>`` runs where another script needs another font."""
    lines = []
    for line in str(text).split("\n"):
        parts = []
        for font, part in runs(line, base):
            escaped = escape(part, quote=False)
            parts.append(escaped if font == base else f'<font name="{font}">{escaped}</font>')
        lines.append("".join(parts))
    return "<br/>".join(lines)


# Less than a line's width, so reportlab, measuring the same glyphs, never cuts a line ``wrap`` has made.
WRAP_SLACK = 0.5


class TextParagraph(Paragraph):
    """A Paragraph of people's plain text (escaped, never markup) in any script.

    Text with right-to-left runs is cut into lines when the frame gives its width: in reading order by ``wrap``,
    then each line shaped and put in visual order, joined by line breaks; a paragraph that starts right-to-left is
    aligned right. Other text is an ordinary Paragraph of ``markup``. The pieces reportlab makes when it splits a
    paragraph across pages are built from the lines already cut (``frags``), so they are never cut again.
    """

    def __init__(self, text, style=None, bulletText=None, frags=None, **kwargs):
        self._plain = None
        if frags is None and text is not None:
            text = str(text)
            base = getattr(style, "fontName", SANS)
            if any(_is_rtl(char) for char in text):
                self._plain, self._cut_for = text, None
                if style is not None and style.alignment == TA_LEFT and is_right_to_left(text):
                    style = ParagraphStyle(f"{style.name}-rtl", parent=style, alignment=TA_RIGHT)
            text = markup(text, base)
        super().__init__(text, style, bulletText, frags, **kwargs)

    def wrap(self, availWidth, availHeight):
        if self._plain is not None and self._cut_for != availWidth:
            style = self.style
            width = availWidth - style.leftIndent - style.rightIndent - max(style.firstLineIndent, 0) - WRAP_SLACK
            lines = wrap(self._plain, style.fontSize, max(width, 1), style.fontName)
            self._setup(
                "<br/>".join(markup(line, style.fontName) for line in lines),
                style,
                self.bulletText,
                None,
                cleanBlockQuotedText,
            )
            self._cut_for = availWidth
        return super().wrap(availWidth, availHeight)


_STANDARD = {
    "Helvetica": SANS,
    "Helvetica-Bold": SANS_BOLD,
    "Helvetica-Oblique": SANS_ITALIC,
    "Helvetica-BoldOblique": SANS_BOLD_ITALIC,
    "Times-Roman": SANS,
    "Times-Bold": SANS_BOLD,
    "Times-Italic": SANS_ITALIC,
    "Times-BoldItalic": SANS_BOLD_ITALIC,
}


def stylesheet():
    """reportlab's sample stylesheet with the portal's Unicode fonts in place of the Latin-1 standard ones."""
    from reportlab.lib.styles import getSampleStyleSheet

    register()
    sheet = getSampleStyleSheet()
    for style in sheet.byName.values():
        for attribute in ("fontName", "bulletFontName"):
            current = getattr(style, attribute, None)
            if current in _STANDARD:
                setattr(style, attribute, _STANDARD[current])
    return sheet
