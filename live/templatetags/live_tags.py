"""Template helpers of the live-session console: countdowns, and calendar dates of certificates."""

from __future__ import annotations

from datetime import date, timedelta

from django import template
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext, ngettext

from common import timefmt

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
        return gettext("now")
    if minutes < 60:
        return gettext("in %(minutes)s min") % {"minutes": minutes}
    hours, minutes = divmod(minutes, 60)
    days, hours = divmod(hours, 24)
    if days:
        if hours:
            return ngettext("in %(days)s day %(hours)s h", "in %(days)s days %(hours)s h", days) % {
                "days": days,
                "hours": hours,
            }
        return ngettext("in %(days)s day", "in %(days)s days", days) % {"days": days}
    if minutes:
        return gettext("in %(hours)s h %(minutes)s min") % {"hours": hours, "minutes": f"{minutes:02d}"}
    return gettext("in %(hours)s h") % {"hours": hours}


@register.filter
def calendar_date(day: date | None, style: str = "full_day_year") -> str:
    """A calendar date with no moment or zone (a certificate's first and last session day), in the same
    translated date styles as common.timefmt, so it reads like every other date of the page."""
    if day is None:
        return ""
    # timefmt's styles are the one place date formats are translated; a date needs no zone conversion.
    return date_format(day, timefmt._date_format(style))
