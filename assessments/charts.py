"""Charts drawn on the server as SVG: no internet access and no JavaScript needed to show them.

Colours come from CSS classes (static/css/dtca.css), so the chart follows the
page's theme and prints well.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.template.defaultfilters import floatformat
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from .models import SCALE_MAX


@dataclass(frozen=True)
class RadarSeries:
    name: str
    values: Sequence[float | None]
    css_class: str


def _wrap(label: str, width: int = 16) -> list[str]:
    lines, current = [], ""
    for word in label.split():
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    if current:
        lines.append(current)
    return lines or [""]


def _path(points: Sequence[tuple[float, float] | None], closed: bool) -> str:
    """An SVG path through the points, broken where a value is missing (a dimension without a score)."""
    commands, pen_down = [], False
    for point in points:
        if point is None:
            pen_down = False
            continue
        commands.append(f"{'L' if pen_down else 'M'}{point[0]:.1f},{point[1]:.1f}")
        pen_down = True
    if closed and commands:
        commands.append("Z")
    return " ".join(commands)


def radar_svg(axes: Sequence[str], series: Sequence[RadarSeries], *, title: str, radius: float = 130) -> SafeString:
    """A radar (spider) chart of 1–5 scores, one axis per dimension, one outline per series."""
    count = len(axes)
    if count < 3:
        return mark_safe("")
    label_room = 110
    width = 2 * (radius + label_room)
    height = 2 * (radius + 50)
    cx, cy = width / 2, height / 2

    def point(index: int, value: float) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * index / count
        distance = radius * value / SCALE_MAX
        return cx + distance * math.cos(angle), cy + distance * math.sin(angle)

    no_score = gettext("no score")
    description = "; ".join(
        f"{s.name}: "
        + ", ".join(
            f"{axis} {no_score if v is None else floatformat(v, 1)}" for axis, v in zip(axes, s.values, strict=True)
        )
        for s in series
    )
    parts = [
        f'<svg class="radar" viewBox="0 0 {width:.0f} {height:.0f}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title><desc>{escape(description)}</desc>",
    ]
    for ring in range(1, SCALE_MAX + 1):
        ring_points = [point(i, ring) for i in range(count)]
        parts.append(f'<path class="radar-grid" d="{_path(ring_points, closed=True)}"/>')
        x, y = point(0, ring)
        parts.append(f'<text class="radar-tick" x="{x + 4:.1f}" y="{y + 4:.1f}">{ring}</text>')
    for index, axis in enumerate(axes):
        x, y = point(index, SCALE_MAX)
        parts.append(f'<line class="radar-axis" x1="{cx:.1f}" y1="{cy:.1f}" x2="{x:.1f}" y2="{y:.1f}"/>')
        lx, ly = point(index, SCALE_MAX + 0.45)
        cos = (lx - cx) / (radius * (SCALE_MAX + 0.45) / SCALE_MAX)
        anchor = "start" if cos > 0.2 else "end" if cos < -0.2 else "middle"
        lines = _wrap(axis)
        # Labels above the chart grow upwards, the others downwards, so they never cover it.
        first_y = ly - (len(lines) - 1) * 15 if ly < cy - 1 else ly + (5 if ly > cy + 1 else 0)
        tspans = "".join(
            f'<tspan x="{lx:.1f}" y="{first_y + n * 15:.1f}">{escape(line)}</tspan>' for n, line in enumerate(lines)
        )
        parts.append(f'<text class="radar-label" text-anchor="{anchor}">{tspans}</text>')
    for item in series:
        points = [None if v is None else point(i, v) for i, v in enumerate(item.values)]
        complete = all(p is not None for p in points)
        parts.append(
            f'<path class="radar-series {escape(item.css_class)}{"" if complete else " radar-open"}" '
            f'd="{_path(points, closed=complete)}"><title>{escape(item.name)}</title></path>'
        )
        for p, value in zip(points, item.values, strict=True):
            if p is not None:
                parts.append(
                    f'<circle class="radar-dot {escape(item.css_class)}" cx="{p[0]:.1f}" cy="{p[1]:.1f}" r="3.5">'
                    f"<title>{escape(item.name)}: {floatformat(value, 1)}</title></circle>"
                )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 — every text above is escaped
