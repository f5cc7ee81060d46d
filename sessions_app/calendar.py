"""iCalendar documents of a group's sessions.

A calendar is built for one reader, in the active language: session and workshop titles come through the content
translations (``translated``), the words around them through gettext. Callers that build one for a person who is not
the one making the request (a reminder mail, the private feed a calendar app polls) run in that person's language
(``common.i18n.override_for``).
"""

from datetime import timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from icalendar import Alarm, Calendar, Event

from common.translations import translated


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", "-//Workshop Portal//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    calendar.add("method", "PUBLISH")
    return calendar


def _event(occurrence) -> Event:
    session = occurrence.session
    workshop = session.workshop
    event = Event()
    event.add("uid", f"occurrence-{occurrence.pk}@{settings.SITE_URL.split('://')[-1]}")
    title = translated(session, "title")
    event.add("summary", gettext("Session %(number)s: %(title)s") % {"number": session.number, "title": title})
    event.add("dtstart", occurrence.starts_at)
    event.add("dtend", occurrence.ends_at)
    event.add("dtstamp", timezone.now())
    # A calendar that imported the event replaces it only when SEQUENCE goes up (RFC 5545 3.8.7.4).
    event.add("sequence", occurrence.calendar_sequence)
    event.add("last-modified", occurrence.calendar_changed_at)
    page = settings.SITE_URL + reverse("sessions:detail", args=[occurrence.pk])
    description = [f"{translated(workshop, 'title')} · {occurrence.cohort.name}"]
    if occurrence.join_link:
        description.append(gettext("Join: %(link)s") % {"link": occurrence.join_link})
        event.add("location", occurrence.join_link)
    elif workshop.platform:
        event.add("location", workshop.platform)
    description.append(gettext("Agenda and preparation: %(page)s") % {"page": page})
    event.add("description", "\n".join(description))
    event.add("url", page)
    for before in (timedelta(days=1), timedelta(minutes=30)):
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", gettext("Session %(number)s starts soon") % {"number": session.number})
        alarm.add("trigger", -before)
        event.add_component(alarm)
    return event


def occurrences_calendar(occurrences, name: str) -> bytes:
    """The occurrences' events in the active language; ``name`` (the calendar's name) is given already in it."""
    calendar = _calendar(name)
    for occurrence in occurrences:
        calendar.add_component(_event(occurrence))
    return calendar.to_ical()


def workshop_calendar_name(workshop, cohort=None) -> str:
    """A calendar's name in the active language: the workshop's title, with the group's name for a group's feed."""
    title = translated(workshop, "title")
    return f"{title} ({cohort.name})" if cohort is not None else str(title)
