"""Calendar files built for a person are in that person's language: translated session and workshop titles (issue #16).

The reminder mail's .ics, the private feed a calendar app polls (no sign-in, no useful Accept-Language) and the
.ics a signed-in participant downloads all name the session as the reader's content translations say.
"""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from icalendar import Calendar

from reminders.services import dispatch_due_reminders
from sessions_app.models import Session, SessionOccurrence

from .factories import ParticipantFactory, build_programme
from .factories_reminders import ReminderRuleFactory

LONG_AGO = datetime(2020, 1, 1, tzinfo=UTC)
FRENCH_TITLE = "Gouvernement numérique : les fondements"
FRENCH_WORKSHOP = "Atelier sur le gouvernement numérique"


@pytest.fixture
def eager(_celery_eager):
    return _celery_eager


@pytest.fixture
def programme(db):
    workshop = build_programme(sessions=2, tasks_per_session=0, items_per_session=0, groups=("Group A",))
    workshop.language = "en"
    workshop.translations = {"fr": {"title": FRENCH_WORKSHOP}}
    workshop.save()
    session = Session.objects.get(workshop=workshop, number=1)
    session.translations = {"fr": {"title": FRENCH_TITLE}}
    session.save()
    cohort = workshop.cohorts.get()
    french, english = ParticipantFactory.create_batch(2, cohort=cohort)
    french.user.language = "fr"
    french.user.save(update_fields=["language"])
    english.user.language = "en"
    english.user.save(update_fields=["language"])
    cohort.participants.update(joined_at=LONG_AGO)
    occurrence = SessionOccurrence.objects.get(cohort=cohort, session=session)
    return {"workshop": workshop, "session": session, "occurrence": occurrence, "french": french, "english": english}


def _only_event(content: bytes):
    (event,) = Calendar.from_ical(content).walk("VEVENT")
    return event


def test_a_french_recipients_reminder_ics_carries_the_french_session_title(
    programme, time_machine, eager, django_capture_on_commit_callbacks, mailoutbox, settings
):
    settings.LANGUAGE_CODE = "en"  # the worker's own language stays English
    ReminderRuleFactory(workshop=programme["workshop"])
    time_machine.move_to(programme["occurrence"].starts_at - timedelta(hours=23))
    with django_capture_on_commit_callbacks(execute=True):
        dispatch_due_reminders()
    by_recipient = {mail.to[0]: mail for mail in mailoutbox}

    french_mail = by_recipient[programme["french"].user.email]
    (name, content, mimetype) = french_mail.attachments[0]
    assert mimetype == "text/calendar"
    calendar = Calendar.from_ical(content)
    (event,) = calendar.walk("VEVENT")
    assert str(event["summary"]) == f"Séance 1 : {FRENCH_TITLE}"
    assert FRENCH_WORKSHOP in str(event["description"])
    assert str(calendar["x-wr-calname"]) == FRENCH_WORKSHOP
    assert "La séance 1 commence bientôt" in [str(alarm["description"]) for alarm in event.walk("VALARM")]

    english_mail = by_recipient[programme["english"].user.email]
    english = _only_event(english_mail.attachments[0][1])
    assert str(english["summary"]) == f"Session 1: {programme['session'].title}"
    assert programme["workshop"].title in str(english["description"])


def test_the_private_feed_is_in_the_participants_language_whatever_the_calendar_app_asks(client, programme):
    french, english = programme["french"], programme["english"]
    feed = reverse("participants:calendar_feed", args=[french.calendar_token])
    calendar = Calendar.from_ical(client.get(feed, HTTP_ACCEPT_LANGUAGE="en").content)
    summaries = sorted(str(event["summary"]) for event in calendar.walk("VEVENT"))
    # Session 2 has no French title: the original, under the French words.
    assert summaries == [f"Séance 1 : {FRENCH_TITLE}", "Séance 2 : Session 2 title"]
    assert str(calendar["x-wr-calname"]) == f"{FRENCH_WORKSHOP} ({french.cohort.name})"

    feed = reverse("participants:calendar_feed", args=[english.calendar_token])
    calendar = Calendar.from_ical(client.get(feed, HTTP_ACCEPT_LANGUAGE="fr").content)
    summaries = sorted(str(event["summary"]) for event in calendar.walk("VEVENT"))
    assert summaries == ["Session 1: Session 1 title", "Session 2: Session 2 title"]


def test_a_french_participants_ics_download_has_the_french_title(client, programme):
    client.force_login(programme["french"].user)
    response = client.get(reverse("sessions:ics", args=[programme["occurrence"].pk]))
    assert response.status_code == 200
    assert str(_only_event(response.content)["summary"]) == f"Séance 1 : {FRENCH_TITLE}"


def test_changing_a_title_translation_raises_the_events_sequence(programme):
    occurrence = programme["occurrence"]
    before = SessionOccurrence.objects.get(pk=occurrence.pk).calendar_sequence
    session = Session.objects.get(pk=programme["session"].pk)
    session.save()  # unchanged: nothing to revise
    assert SessionOccurrence.objects.get(pk=occurrence.pk).calendar_sequence == before
    session.translations["fr"]["title"] = "Un autre titre"  # changed in place, as a form or a script may
    session.save()
    assert SessionOccurrence.objects.get(pk=occurrence.pk).calendar_sequence == before + 1
