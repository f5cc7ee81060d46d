"""A reportlab Drawing as a PNG picture, drawn with Pillow: the same chart the PDF draws, for files that hold
pictures (Word). Offline and pure pip: reportlab's own bitmap renderer (renderPM) needs Cairo, which the portal
does not install.

It draws the shapes the portal's charts use: Rect, Line, PolyLine, Circle and String (each run of text in the
font that has its glyphs, Arabic shaped, through common.pdf_fonts), inside Groups that only move their contents.

    from common import drawing_png
    picture = drawing_png.render(drawing)     # PNG bytes, 3 pixels per point (216 dpi)
"""

from __future__ import annotations

import math
from functools import lru_cache
from io import BytesIO

from PIL import Image, ImageDraw, ImageFont
from reportlab.graphics.shapes import Circle, Drawing, Group, Line, PolyLine, Rect, String
from reportlab.pdfbase import pdfmetrics

from . import pdf_fonts

SUPERSAMPLE = 2  # drawn twice as large, then reduced: smooth edges without an anti-aliasing renderer


@lru_cache(maxsize=32)
def _font(name: str, pixels: int) -> ImageFont.FreeTypeFont:
    # Basic layout: pdf_fonts.runs has already shaped and ordered the text, as the PDF draws it.
    return ImageFont.truetype(pdfmetrics.getFont(name).face.filename, pixels, layout_engine=ImageFont.Layout.BASIC)


def _rgb(colour):
    if colour is None:
        return None
    red, green, blue = colour.rgb()
    return round(255 * red), round(255 * green), round(255 * blue)


class _Painter:
    def __init__(self, drawing: Drawing, scale: float, *, image=None, text: bool = True, shapes: bool = True):
        self.scale = scale
        self.height = drawing.height
        size = (max(1, round(drawing.width * scale)), max(1, round(drawing.height * scale)))
        self.image = image.resize(size) if image is not None and image.size != size else image
        if self.image is None:
            self.image = Image.new("RGB", size, "white")
        self.pen = ImageDraw.Draw(self.image)
        self.draws_text, self.draws_shapes = text, shapes

    def point(self, x: float, y: float, dx: float = 0, dy: float = 0) -> tuple[float, float]:
        """Drawing points (origin bottom left) to pixels (origin top left)."""
        return (x + dx) * self.scale, (self.height - y - dy) * self.scale

    def width(self, shape) -> int:
        return max(1, round((getattr(shape, "strokeWidth", 1) or 1) * self.scale))

    def shapes(self, node, dx: float = 0, dy: float = 0):
        if isinstance(node, Group):
            a, b, c, d, e, f = getattr(node, "transform", (1, 0, 0, 1, 0, 0))
            if (a, b, c, d) != (1, 0, 0, 1):
                raise ValueError("drawing_png draws groups that move their contents, not ones that scale or turn")
            for child in node.contents:
                self.shapes(child, dx + e, dy + f)
        elif isinstance(node, String):
            if self.draws_text:
                self.text(node, dx, dy)
        elif not self.draws_shapes:
            return
        elif isinstance(node, Rect):
            left, top = self.point(node.x, node.y + node.height, dx, dy)
            right, bottom = self.point(node.x + node.width, node.y, dx, dy)
            box = [min(left, right), min(top, bottom), max(left, right), max(top, bottom)]
            fill, stroke = _rgb(node.fillColor), _rgb(node.strokeColor)
            self.pen.rectangle(box, fill=fill, outline=stroke, width=self.width(node) if stroke else 0)
        elif isinstance(node, Circle):
            x, y = self.point(node.cx, node.cy, dx, dy)
            r = node.r * self.scale
            stroke = _rgb(node.strokeColor)
            self.pen.ellipse(
                [x - r, y - r, x + r, y + r],
                fill=_rgb(node.fillColor),
                outline=stroke,
                width=self.width(node) if stroke else 0,
            )
        elif isinstance(node, Line):
            self.line([(node.x1, node.y1), (node.x2, node.y2)], node, dx, dy)
        elif isinstance(node, PolyLine):
            points = list(node.points)
            self.line(list(zip(points[::2], points[1::2], strict=True)), node, dx, dy)

    def line(self, points, shape, dx, dy):
        colour = _rgb(shape.strokeColor)
        if colour is None or len(points) < 2:
            return
        pixels = [self.point(x, y, dx, dy) for x, y in points]
        width = self.width(shape)
        dashes = [d * self.scale for d in (getattr(shape, "strokeDashArray", None) or [])]
        if not dashes:
            self.pen.line(pixels, fill=colour, width=width, joint="curve")
            return
        index, left, drawing = 0, dashes[0], True  # the dash pattern runs on along the whole line
        for (x1, y1), (x2, y2) in zip(pixels, pixels[1:], strict=False):
            length, done = math.dist((x1, y1), (x2, y2)), 0.0
            while done < length:
                step = min(left, length - done)
                if drawing:
                    start, end = done / length, (done + step) / length
                    self.pen.line(
                        [
                            (x1 + (x2 - x1) * start, y1 + (y2 - y1) * start),
                            (x1 + (x2 - x1) * end, y1 + (y2 - y1) * end),
                        ],
                        fill=colour,
                        width=width,
                    )
                done += step
                left -= step
                if left <= 1e-9:
                    index = (index + 1) % len(dashes)
                    left, drawing = dashes[index], not drawing

    def text(self, node: String, dx, dy):
        colour = _rgb(node.fillColor)
        if not node.text or colour is None:
            return
        base, size = node.fontName, node.fontSize
        width = pdf_fonts.string_width(node.text, size, base)
        x = node.x - {"middle": width / 2, "end": width}.get(node.textAnchor, 0)
        bold = base in (pdf_fonts.SANS_BOLD, pdf_fonts.SANS_BOLD_ITALIC)  # the variable font's regular, stroked
        pixels = max(1, round(size * self.scale))
        for font, part in pdf_fonts.runs(node.text, base):
            self.pen.text(
                self.point(x, node.y, dx, dy),
                part,
                font=_font(font, pixels),
                fill=colour,
                anchor="ls",
                stroke_width=max(1, round(pixels * 0.03)) if bold else 0,
                stroke_fill=colour,
            )
            x += pdfmetrics.stringWidth(part, font, size)


def render(drawing: Drawing, scale: float = 2) -> bytes:
    """The drawing as PNG bytes, ``scale`` pixels per point (2: 144 dpi)."""
    pdf_fonts.register()
    # Shapes drawn twice as large then halved, for smooth edges; text drawn after at the final size (FreeType
    # smooths it itself, and it is the slow part). The portal's charts put text over shapes, never under.
    shapes = _Painter(drawing, scale * SUPERSAMPLE, text=False)
    for shape in drawing.contents:
        shapes.shapes(shape)
    texts = _Painter(drawing, scale, image=shapes.image.reduce(SUPERSAMPLE), shapes=False)
    for shape in drawing.contents:
        texts.shapes(shape)
    buffer = BytesIO()
    texts.image.save(buffer, "PNG", compress_level=1, dpi=(72 * scale, 72 * scale))
    return buffer.getvalue()
