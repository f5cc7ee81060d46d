from django.urls import reverse
from icalendar import Calendar

from participants.models import Participant


def test_private_feed_parses_and_has_one_event_per_occurrence_of_the_group(client, demo):
    participant = Participant.objects.get(user__email="participant@demo.test")
    response = client.get(reverse("participants:calendar_feed", args=[participant.calendar_token]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = calendar.walk("VEVENT")
    occurrences = participant.cohort.occurrences.all()
    assert len(events) == occurrences.count() == 5
    starts = sorted(event.decoded("dtstart") for event in events)
    assert starts == sorted(o.starts_at for o in occurrences)
    assert all(event.walk("VALARM") for event in events)
    assert "Session 1: Innovation and Digital Government" in str(events[0]["summary"]) or any(
        "Session 1:" in str(e["summary"]) for e in events
    )


def test_feed_with_unknown_token_is_404(client, demo):
    assert client.get(reverse("participants:calendar_feed", args=["not-a-token"])).status_code == 404


def test_feed_of_deactivated_participant_is_404(client, demo):
    participant = Participant.objects.get(user__email="participant@demo.test")
    participant.is_active = False
    participant.save()
    assert client.get(reverse("participants:calendar_feed", args=[participant.calendar_token])).status_code == 404


def test_session_ics_download_holds_that_session(client, demo):
    participant = Participant.objects.get(user__email="participant@demo.test")
    client.force_login(participant.user)
    occurrence = participant.cohort.occurrences.get(session__number=3)
    response = client.get(reverse("sessions:ics", args=[occurrence.pk]))
    assert response.status_code == 200
    assert 'filename="session-3-group-a.ics"' in response["Content-Disposition"]
    (event,) = Calendar.from_ical(response.content).walk("VEVENT")
    assert event.decoded("dtstart") == occurrence.starts_at
    assert event.decoded("dtend") == occurrence.ends_at
    assert str(event["summary"]).startswith("Session 3:")


def _event_of(client, occurrence):
    response = client.get(reverse("sessions:ics", args=[occurrence.pk]))
    (event,) = Calendar.from_ical(response.content).walk("VEVENT")
    return event


def test_ics_and_feed_carry_a_sequence_and_last_modified_that_rise_when_the_session_moves(client, demo, time_machine):
    from datetime import timedelta

    from sessions_app.models import SessionOccurrence

    participant = Participant.objects.get(user__email="participant@demo.test")
    client.force_login(participant.user)
    occurrence = participant.cohort.occurrences.get(session__number=3)
    before = _event_of(client, occurrence)
    assert before.decoded("sequence") == 0
    first_modified = before.decoded("last-modified")

    # Saved unchanged (say, the admin form submitted as it is): calendars have nothing to update.
    occurrence = SessionOccurrence.objects.get(pk=occurrence.pk)
    occurrence.save()
    assert _event_of(client, occurrence).decoded("sequence") == 0

    time_machine.move_to(first_modified + timedelta(days=1))
    occurrence = SessionOccurrence.objects.get(pk=occurrence.pk)
    occurrence.starts_at += timedelta(hours=1)
    occurrence.ends_at += timedelta(hours=1)
    occurrence.save()
    after = _event_of(client, occurrence)
    assert after.decoded("sequence") == 1
    assert after.decoded("last-modified") > first_modified
    assert after.decoded("dtstart") == occurrence.starts_at

    occurrence = SessionOccurrence.objects.get(pk=occurrence.pk)
    occurrence.meeting_link = "https://meet.example.org/new-room"
    occurrence.save(update_fields=["meeting_link"])
    feed = Calendar.from_ical(
        client.get(reverse("participants:calendar_feed", args=[participant.calendar_token])).content
    )
    (moved,) = [e for e in feed.walk("VEVENT") if str(e["summary"]).startswith("Session 3:")]
    assert moved.decoded("sequence") == 2
    assert all("sequence" in e and "last-modified" in e for e in feed.walk("VEVENT"))


def test_renaming_a_session_or_changing_the_groups_link_raises_the_events_sequence(client, demo):
    from sessions_app.models import Cohort, Session

    participant = Participant.objects.get(user__email="participant@demo.test")
    client.force_login(participant.user)
    occurrence = participant.cohort.occurrences.get(session__number=3)
    session = Session.objects.get(pk=occurrence.session_id)
    session.title = "A new title"
    session.save()
    event = _event_of(client, occurrence)
    assert event.decoded("sequence") == 1 and "A new title" in str(event["summary"])
    cohort = Cohort.objects.get(pk=participant.cohort_id)
    cohort.save()  # unchanged: nothing to revise
    assert _event_of(client, occurrence).decoded("sequence") == 1
    cohort.meeting_link = "https://meet.example.org/group-a-new"
    cohort.save()
    expected = 2 if not occurrence.meeting_link else 1
    assert _event_of(client, occurrence).decoded("sequence") == expected
