"""Template helpers of the live-session console: countdowns."""

from __future__ import annotations

from datetime import timedelta

from django import template

register = template.Library()


@register.filter
def countdown(delta: timedelta | None) -> str:
    """``12:05`` or ``1:02:05``; never negative."""
    if delta is None:
        return ""
    seconds = max(0, int(delta.total_seconds()))
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"


@register.filter
def in_words(delta: timedelta | None) -> str:
    """``in 5 min``, ``in 2 h 10 min``, ``now``."""
    if delta is None:
        return ""
    minutes = round(delta.total_seconds() / 60)
    if minutes <= 0:
        return "now"
    if minutes < 60:
        return f"in {minutes} min"
    hours, minutes = divmod(minutes, 60)
    days, hours = divmod(hours, 24)
    if days:
        return f"in {days} day{'s' if days != 1 else ''}" + (f" {hours} h" if hours else "")
    return f"in {hours} h {minutes:02d} min" if minutes else f"in {hours} h"
