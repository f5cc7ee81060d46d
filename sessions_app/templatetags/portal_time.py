"""Show a moment in the viewer's zone with the workshop's reference zone beside it."""

import zoneinfo

from django import template
from django.templatetags.tz import do_timezone
from django.utils import timezone
from django.utils.html import format_html

register = template.Library()


def _zone_abbreviation(moment) -> str:
    name = moment.tzname() or ""
    # zoneinfo gives numeric names ("-04") for zones without an abbreviation; say UTC−4 instead.
    if name[:1] in "+-":
        hours = int(name[:3])
        return f"UTC{'−' if hours < 0 else '+'}{abs(hours)}"
    return name


@register.simple_tag(takes_context=True)
def dual_time(context, moment, workshop, fmt="%H:%M"):
    """``09:00 your time (America/Jamaica) · 10:00 ECT``, or just the reference time when they agree."""
    if moment is None:
        return ""
    viewer_zone = timezone.get_current_timezone()
    reference_zone = zoneinfo.ZoneInfo(workshop.reference_timezone)
    local = moment.astimezone(viewer_zone)
    reference = moment.astimezone(reference_zone)
    label = workshop.reference_timezone_label
    if local.utcoffset() == reference.utcoffset():
        return format_html('<time datetime="{}">{} {}</time>', moment.isoformat(), reference.strftime(fmt), label)
    return format_html(
        '<time datetime="{}" title="{}">{} <span class="text-body-secondary small">your time ({})</span></time>'
        ' <span class="ref-time text-body-secondary">· {} {}</span>',
        moment.isoformat(),
        str(viewer_zone),
        local.strftime(fmt),
        _zone_abbreviation(local),
        reference.strftime(fmt),
        label,
    )


@register.filter
def in_zone(moment, zone_name):
    """The moment in a named zone; later filters such as |date keep that zone (Django's |timezone)."""
    if moment is None:
        return None
    return do_timezone(moment, str(zone_name))


@register.filter
def local(moment):
    """The moment in the viewer's zone (for date headings)."""
    return timezone.localtime(moment) if moment else None


@register.filter
def plus_minutes(moment, minutes):
    from datetime import timedelta

    return moment + timedelta(minutes=int(minutes)) if moment else None


@register.simple_tag
def ref_time(moment, workshop, fmt="%H:%M"):
    """The moment in the workshop's reference zone only, e.g. ``10:00 ECT``."""
    if moment is None:
        return ""
    reference = moment.astimezone(zoneinfo.ZoneInfo(workshop.reference_timezone))
    return format_html(
        '<time datetime="{}">{} {}</time>',
        moment.isoformat(),
        reference.strftime(fmt),
        workshop.reference_timezone_label,
    )
