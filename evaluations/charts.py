"""Charts drawn on the server as SVG, so report pages need nothing from the internet and print well."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# One colour and one dash pattern per group, so lines stay apart in grey print and for colour-blind readers.
SERIES_COLOURS = ["#0d6efd", "#d35400", "#198754", "#6f42c1", "#b02a37", "#0aa2c0"]
SERIES_DASHES = ["", "6 3", "2 3", "8 3 2 3", "1 2", "10 4"]


def series_style(index: int) -> tuple[str, str]:
    return SERIES_COLOURS[index % len(SERIES_COLOURS)], SERIES_DASHES[index % len(SERIES_DASHES)]


def trend_svg(
    x_labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    *,
    title: str,
    y_min: float = 1,
    y_max: float = 5,
    width: int = 420,
    height: int = 190,
) -> SafeString:
    """A line chart of means (1–5) over the sessions, one line per group; gaps where a session has no answers."""
    left, right, top, bottom = 34, 12, 10, 26
    plot_w, plot_h = width - left - right, height - top - bottom
    count = max(len(x_labels), 1)

    def x(index: int) -> float:
        return left + (plot_w * (index + 0.5) / count)

    def y(value: float) -> float:
        return top + plot_h * (1 - (value - y_min) / (y_max - y_min))

    parts = [
        f'<svg class="trend-chart" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}" '
        f'xmlns="http://www.w3.org/2000/svg" preserveAspectRatio="xMidYMid meet">',
        f"<title>{escape(title)}</title>",
    ]
    for tick in range(int(y_min), int(y_max) + 1):
        ty = y(tick)
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{ty:.1f}" y2="{ty:.1f}" stroke="#dee2e6" stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{left - 6}" y="{ty + 4:.1f}" text-anchor="end" font-size="11" fill="#6c757d">{tick}</text>'
        )
    for index, label in enumerate(x_labels):
        parts.append(
            f'<text x="{x(index):.1f}" y="{height - 8}" text-anchor="middle" font-size="11" fill="#495057">'
            f"{escape(label)}</text>"
        )
    for s_index, (name, values) in enumerate(series):
        colour, dash = series_style(s_index)
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        segment: list[str] = []
        segments = []
        for index, value in enumerate(values):
            if value is None:
                if segment:
                    segments.append(segment)
                segment = []
                continue
            segment.append(f"{x(index):.1f},{y(value):.1f}")
        if segment:
            segments.append(segment)
        for points in segments:
            if len(points) > 1:
                parts.append(
                    f'<polyline points="{" ".join(points)}" fill="none" stroke="{colour}" stroke-width="2.5"'
                    f"{dash_attr}/>"
                )
        for index, value in enumerate(values):
            if value is None:
                continue
            tip = f"{name}, {x_labels[index]}: {value:.2f}"
            parts.append(
                f'<circle cx="{x(index):.1f}" cy="{y(value):.1f}" r="4" fill="{colour}">'
                f"<title>{escape(tip)}</title></circle>"
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text in it went through escape()
