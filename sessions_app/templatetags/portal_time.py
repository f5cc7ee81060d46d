"""Template tags that show a moment to a person; every one goes through common.timefmt."""

from datetime import date, timedelta

from django import template
from django.templatetags.tz import do_timezone
from django.utils import timezone
from django.utils.dateformat import format as date_format

from common import timefmt

register = template.Library()


@register.simple_tag
def dual_time(moment, workshop, date="none", end=None):
    """``09:00 your time (EST) · 10:00 ECT`` in the viewer's zone, or just ``10:00 ECT`` when they agree.

    ``date``: a style of common.timefmt.DATE_STYLES to put the date in front (``long`` gives
    ``Wednesday 2 December 2026, 09:00 …``); the reference side shows its date whenever it differs.
    ``end``: a second moment, shown as a range (``09:00–11:00 …``).
    """
    return timefmt.moment_html(moment, workshop, date=date, end=end)


@register.simple_tag
def ref_time(moment, workshop, date="none"):
    """The moment in the workshop's reference zone only, e.g. ``10:00 ECT``."""
    return timefmt.reference_html(moment, workshop, date=date)


@register.filter
def local_date(moment, style="long"):
    """The date of a moment in the viewer's zone (headings and date-only mentions), localised."""
    return timefmt.date_text(moment, style)


@register.filter
def in_zone(moment, zone_name):
    """The moment in a named zone; later filters such as |date keep that zone (Django's |timezone)."""
    if moment is None:
        return None
    return do_timezone(moment, str(zone_name))


@register.filter
def local(moment):
    """The moment in the viewer's zone (for comparisons of days; to show it, use dual_time or local_date)."""
    return timezone.localtime(moment) if moment else None


@register.filter
def plus_minutes(moment, minutes):
    return moment + timedelta(minutes=int(minutes)) if moment else None


@register.simple_tag
def dual_time_text(moment, workshop, date="none"):
    """The plain-text form of dual_time, for attributes such as title."""
    return timefmt.moment_text(moment, workshop, date=date, zone_label="abbreviation")


@register.filter
def local_clock(moment):
    """``09:12`` in the viewer's zone, for a moment that just happened (such as "saved at")."""
    return timefmt.clock(timezone.localtime(moment)) if moment else ""


@register.simple_tag
def ref_date(moment, workshop, style="day_year"):
    """The date of a moment in the workshop's reference zone (programme tables shared by every group)."""
    return timefmt.date_text(moment, style, zone=workshop.tz)


@register.filter
def calendar_date(day: date | None, style: str = "full_day_year") -> str:
    """A calendar date with no moment or zone (a certificate's first and last session day), in the same
    translated date styles as common.timefmt, so it reads like every other date of the page."""
    if day is None:
        return ""
    # timefmt's styles are the one place date formats are translated; a date needs no zone conversion.
    return date_format(day, timefmt._date_format(style))
