from django.urls import reverse
from icalendar import Calendar

from participants.models import Participant


def test_private_feed_parses_and_has_one_event_per_occurrence_of_the_group(client, demo):
    participant = Participant.objects.get(user__email="participant@demo.test")
    response = client.get(reverse("calendar_feed", args=[participant.calendar_token]))
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
    assert client.get(reverse("calendar_feed", args=["not-a-token"])).status_code == 404


def test_feed_of_deactivated_participant_is_404(client, demo):
    participant = Participant.objects.get(user__email="participant@demo.test")
    participant.is_active = False
    participant.save()
    assert client.get(reverse("calendar_feed", args=[participant.calendar_token])).status_code == 404


def test_session_ics_download_holds_that_session(client, demo):
    participant = Participant.objects.get(user__email="participant@demo.test")
    client.force_login(participant.user)
    occurrence = participant.cohort.occurrences.get(session__number=3)
    response = client.get(reverse("session_ics", args=[occurrence.pk]))
    assert response.status_code == 200
    assert 'filename="session-3-group-a.ics"' in response["Content-Disposition"]
    (event,) = Calendar.from_ical(response.content).walk("VEVENT")
    assert event.decoded("dtstart") == occurrence.starts_at
    assert event.decoded("dtend") == occurrence.ends_at
    assert str(event["summary"]).startswith("Session 3:")
