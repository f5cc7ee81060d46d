"""A leaked private calendar address can be replaced: the old one answers 404 (issue 11, item 5)."""

from django.urls import reverse

from participants.models import Participant

from .factories import ParticipantFactory


def feed(client, token):
    return client.get(reverse("participants:calendar_feed", args=[token]))


def test_a_person_gets_a_new_calendar_address_and_the_old_one_stops_working(participant_client, participant):
    old = participant.calendar_token
    assert feed(participant_client, old).status_code == 200
    profile = participant_client.get(reverse("participants:profile")).content.decode()
    assert reverse("participants:new_calendar_address") in profile

    response = participant_client.post(reverse("participants:new_calendar_address"))
    assert response.status_code == 302
    participant.refresh_from_db()
    assert participant.calendar_token != old
    assert feed(participant_client, old).status_code == 404
    assert feed(participant_client, participant.calendar_token).status_code == 200
    assert participant.calendar_token in participant_client.get(reverse("participants:profile")).content.decode()


def test_a_new_address_is_only_made_by_a_post(participant_client, participant):
    old = participant.calendar_token
    assert participant_client.get(reverse("participants:new_calendar_address")).status_code == 405
    participant.refresh_from_db()
    assert participant.calendar_token == old


def test_a_new_address_changes_only_the_persons_own_feeds(participant_client, participant):
    other = ParticipantFactory(cohort=participant.cohort)
    other_token = other.calendar_token
    participant_client.post(reverse("participants:new_calendar_address"))
    other.refresh_from_db()
    assert other.calendar_token == other_token


def test_signed_out_visitors_cannot_change_an_address(client, participant):
    old = participant.calendar_token
    response = client.post(reverse("participants:new_calendar_address"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    participant.refresh_from_db()
    assert participant.calendar_token == old


def test_organizers_give_new_calendar_addresses_from_the_admin(organizer_client, participant):
    other = ParticipantFactory(cohort=participant.cohort)
    old, other_old = participant.calendar_token, other.calendar_token
    response = organizer_client.post(
        reverse("admin:participants_participant_changelist"),
        {"action": "new_calendar_address", "_selected_action": [participant.pk]},
    )
    assert response.status_code == 302
    assert feed(organizer_client, old).status_code == 404
    assert Participant.objects.get(pk=participant.pk).calendar_token != old
    assert Participant.objects.get(pk=other.pk).calendar_token == other_old
