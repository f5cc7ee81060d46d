"""The one way a moment is shown to a person: their zone, with the workshop's reference zone beside it.

Every page and every mail calls this module; nothing else formats a moment for a person. The zone is
always explicit (the person's own, or the active zone of the request), never the process's zone, so a
worker running in UTC writes the same times as the page the person reads.

    Wednesday 2 December 2026, 10:00 ECT                                            (same clock)
    Wednesday 2 December 2026, 09:00 your time (America/Jamaica) · 10:00 ECT
    Wednesday 2 December 2026, 23:30 your time (UTC−6) · Thursday 3 December 01:30 ECT   (near midnight)

Day and month names come from Django's localisation (``django.utils.dateformat``), and every phrase is
marked for translation, so the portal can be translated without touching this module again.

``text`` forms are plain text (mail bodies, subjects, flash messages); ``html`` forms wrap the same words
in ``<time>`` elements for pages.
"""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass
from datetime import datetime, tzinfo

from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext, pgettext

# Styles of the date part. Format characters are Django's (https://docs.djangoproject.com/en/stable/ref/
# templates/builtins/#date); the formats themselves are translatable, as in Django's own locale files.
DATE_STYLES = ("long", "medium", "short", "short_year", "day", "day_year", "full_day", "full_day_year", "none")


def _date_format(style: str) -> str:
    return {
        "long": pgettext("date format: weekday day month year", "l j F Y"),
        "medium": pgettext("date format: weekday day month", "l j F"),
        "short": pgettext("date format: short weekday day month", "D j M"),
        "short_year": pgettext("date format: short weekday day month year", "D j M Y"),
        "day": pgettext("date format: day short month", "j M"),
        "day_year": pgettext("date format: day short month year", "j M Y"),
        "full_day": pgettext("date format: day month", "j F"),
        "full_day_year": pgettext("date format: day month year", "j F Y"),
    }[style]


def _zone(zone) -> tzinfo:
    if zone is None:
        return timezone.get_current_timezone()
    if isinstance(zone, str):
        return zoneinfo.ZoneInfo(zone)
    return zone


def zone_abbreviation(moment: datetime) -> str:
    """``EST``, or ``UTC−6`` for zones that have no abbreviation (zoneinfo calls those ``-06``)."""
    name = moment.tzname() or ""
    if name[:1] in "+-":
        sign = "−" if name[0] == "-" else "+"
        hours, minutes = int(name[1:3]), name[3:].lstrip(":")
        return f"UTC{sign}{hours}{':' + minutes if minutes and minutes != '00' else ''}"
    return name


def zone_name(moment: datetime) -> str:
    """The zone as the person chose it (``America/Jamaica``); ``UTC−6`` for a zone without a name."""
    key = getattr(moment.tzinfo, "key", None)
    return key or zone_abbreviation(moment)


def date_text(moment: datetime | None, style: str = "long", zone=None) -> str:
    """The date of a moment in a zone (the active zone by default), e.g. ``Wednesday 2 December 2026``."""
    if moment is None:
        return ""
    return date_format(moment.astimezone(_zone(zone)), _date_format(style))


def clock(moment: datetime) -> str:
    """``09:00``: 24-hour clock of an already converted moment."""
    return date_format(moment, "H:i")


@dataclass(frozen=True)
class Dual:
    """A moment seen from the person's zone and from the workshop's reference zone."""

    moment: datetime
    local: datetime
    reference: datetime
    reference_label: str

    @property
    def same_clock(self) -> bool:
        return self.local.utcoffset() == self.reference.utcoffset()

    @property
    def dates_differ(self) -> bool:
        return self.local.date() != self.reference.date()


def dual(moment: datetime, workshop, zone=None) -> Dual:
    """``zone``: the person's zone (name or tzinfo); None means the zone active for this request or task."""
    return Dual(
        moment=moment,
        local=moment.astimezone(_zone(zone)),
        reference=moment.astimezone(workshop.tz),
        reference_label=workshop.reference_timezone_label,
    )


def _reference_date_style(style: str) -> str:
    # The reference side repeats the date only when it differs; the year is left out there (it is beside).
    return {"long": "medium", "short_year": "short", "day_year": "day", "full_day_year": "full_day"}.get(
        style, style if style != "none" else "short"
    )


def _parts(d: Dual, date: str, zone_label: str, end: Dual | None):
    """(local date, local clock, zone, reference date or '', reference clock) with ranges joined."""
    local_date = date_format(d.local, _date_format(date)) if date != "none" else ""
    local_clock = clock(d.local)
    reference_clock = clock(d.reference)
    if end is not None:
        end_local = clock(end.local)
        if end.local.date() != d.local.date():
            end_local = f"{date_format(end.local, _date_format('short'))} {end_local}"
        end_reference = clock(end.reference)
        if end.reference.date() != d.reference.date():
            end_reference = f"{date_format(end.reference, _date_format('short'))} {end_reference}"
        local_clock = f"{local_clock}–{end_local}"
        reference_clock = f"{reference_clock}–{end_reference}"
    reference_date = ""
    if d.dates_differ:
        reference_date = date_format(d.reference, _date_format(_reference_date_style(date)))
    zone = {"name": zone_name(d.local), "abbreviation": zone_abbreviation(d.local), "none": ""}[zone_label]
    return local_date, local_clock, zone, reference_date, reference_clock


def _with_date(date_part: str, clock_part: str) -> str:
    if not date_part:
        return clock_part
    return pgettext("date, then time", "%(date)s, %(time)s") % {"date": date_part, "time": clock_part}


def _your_time(zone: str) -> str:
    if zone:
        return gettext("your time (%(zone)s)") % {"zone": zone}
    return gettext("your time")


def _reference(reference_date: str, reference_clock: str, label: str) -> str:
    when = f"{reference_date} {reference_clock}" if reference_date else reference_clock
    return pgettext("time in the reference zone", "%(time)s %(label)s") % {"time": when, "label": label}


def moment_text(
    moment: datetime | None,
    workshop,
    zone=None,
    *,
    date: str = "long",
    zone_label: str = "name",
    end: datetime | None = None,
) -> str:
    """Plain text: ``Wednesday 2 December 2026, 09:00 your time (America/Jamaica) · 10:00 ECT``.

    ``date``: one of DATE_STYLES ("none" for the clock only; the reference side still gets its date when it
    falls on another day). ``zone_label``: "name" (America/Jamaica), "abbreviation" (EST) or "none".
    ``end``: make it a range, ``09:00–11:00 your time (…) · 10:00–12:00 ECT``.
    """
    if moment is None:
        return ""
    d = dual(moment, workshop, zone)
    end_dual = dual(end, workshop, zone) if end is not None else None
    if d.same_clock:
        local_date = "" if date == "none" else date_format(d.reference, _date_format(date))
        clock_part = clock(d.reference)
        if end_dual is not None:
            end_clock = clock(end_dual.reference)
            if end_dual.reference.date() != d.reference.date():
                end_clock = f"{date_format(end_dual.reference, _date_format('short'))} {end_clock}"
            clock_part = f"{clock_part}–{end_clock}"
        return _with_date(local_date, _reference("", clock_part, d.reference_label))
    local_date, local_clock, zone_part, reference_date, reference_clock = _parts(d, date, zone_label, end_dual)
    local = pgettext("time in the person's zone", "%(time)s %(your_time)s") % {
        "time": local_clock,
        "your_time": _your_time(zone_part),
    }
    return pgettext("own time · reference time", "%(local)s · %(reference)s") % {
        "local": _with_date(local_date, local),
        "reference": _reference(reference_date, reference_clock, d.reference_label),
    }


def moment_html(
    moment: datetime | None,
    workshop,
    zone=None,
    *,
    date: str = "none",
    zone_label: str = "abbreviation",
    end: datetime | None = None,
) -> SafeString | str:
    """The same words for a page, in ``<time>`` elements; the reference side is set in a quieter colour."""
    if moment is None:
        return ""
    d = dual(moment, workshop, zone)
    if d.same_clock:
        return format_html(
            '<time datetime="{}">{}</time>',
            moment.isoformat(),
            moment_text(moment, workshop, zone, date=date, zone_label=zone_label, end=end),
        )
    end_dual = dual(end, workshop, zone) if end is not None else None
    local_date, local_clock, zone_part, reference_date, reference_clock = _parts(d, date, zone_label, end_dual)
    return format_html(
        '<time datetime="{}" title="{}">{} <span class="text-body-secondary small">{}</span></time>'
        ' <span class="ref-time text-body-secondary">· {}</span>',
        moment.isoformat(),
        zone_name(d.local),
        _with_date(local_date, local_clock),
        _your_time(zone_part),
        _reference(reference_date, reference_clock, d.reference_label),
    )


def local_text(moment: datetime | None, *, date: str = "day_year", zone=None) -> str:
    """``7 Dec 2021, 09:00``: date and clock in one zone (the active zone by default), no reference zone beside
    it: the names the admin gives to records (a log entry, an update), which belong to no page of a workshop."""
    if moment is None:
        return ""
    local = moment.astimezone(_zone(zone))
    return _with_date(date_format(local, _date_format(date)) if date != "none" else "", clock(local))


def reference_text(moment: datetime | None, workshop, *, date: str = "none") -> str:
    """The moment in the reference zone only, e.g. ``10:00 ECT`` (pages every group shares, the admin)."""
    if moment is None:
        return ""
    reference = moment.astimezone(workshop.tz)
    date_part = date_format(reference, _date_format(date)) if date != "none" else ""
    return _with_date(date_part, _reference("", clock(reference), workshop.reference_timezone_label))


def reference_html(moment: datetime | None, workshop, *, date: str = "none") -> SafeString | str:
    if moment is None:
        return ""
    return format_html('<time datetime="{}">{}</time>', moment.isoformat(), reference_text(moment, workshop, date=date))


def admin_reference(moment: datetime | None, workshop) -> str:
    """The admin's column form: ``Tue 7 Dec 2021 10:00 ECT`` in the reference zone, or a dash when unset."""
    if moment is None:
        return "—"
    return reference_text(moment, workshop, date="short_year")


def admin_range(start: datetime, end: datetime, workshop, viewer_zone) -> str:
    """``Tue 7 Dec 2021, 10:00–12:15 ECT (09:00–11:15 in your zone, America/Jamaica)``: reference zone first,
    then the organizer's own when its clock differs (the admin, where the reference zone is what is typed)."""
    viewer_zone = _zone(viewer_zone)
    start_ref, end_ref = start.astimezone(workshop.tz), end.astimezone(workshop.tz)
    # Day and month names through Django's localisation (the active language), never strftime's English.
    start_date = date_format(start_ref, _date_format("short_year"))
    text = f"{start_date}, {clock(start_ref)}–{clock(end_ref)} {workshop.reference_timezone_label}"
    local_start, local_end = start.astimezone(viewer_zone), end.astimezone(viewer_zone)
    if local_start.utcoffset() != start_ref.utcoffset():
        local = f"{date_format(local_start, _date_format('short'))}, {clock(local_start)}–{clock(local_end)}"
        text += " " + gettext("(%(local)s in your zone, %(zone)s)") % {"local": local, "zone": viewer_zone}
    return text


def mail_times(moment: datetime | None, workshop, zone) -> dict | None:
    """What mail templates need for one moment, preformatted for the recipient's zone (never the worker's)."""
    if moment is None:
        return None
    d = dual(moment, workshop, zone)
    return {
        "long": moment_text(moment, workshop, zone, date="long"),
        "short": moment_text(moment, workshop, zone, date="short", zone_label="none"),
        "clock": moment_text(moment, workshop, zone, date="none"),
        "same_zone": d.same_clock,
    }
