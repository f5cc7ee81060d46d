import re

import pytest
from django.urls import reverse

from participants.models import Participant

from .factories import ParticipantFactory, UserFactory, build_programme


@pytest.fixture
def jamaica_participant(demo):
    participant = Participant.objects.select_related("country", "user").get(user__email="participant@demo.test")
    assert participant.country.timezone == "America/Jamaica"
    return participant


def test_participant_in_jamaica_sees_nine_for_a_ten_ect_start(client, jamaica_participant):
    client.force_login(jamaica_participant.user)
    page = client.get(reverse("sessions:schedule")).content.decode()
    # Session 1 of Group A: 10:00 ECT is 09:00 in Jamaica (UTC−5).
    assert re.search(r"09:00 <span[^>]*>your time \(EST\)</span></time>\s*<span[^>]*>· 10:00 ECT", page)
    assert "America/Jamaica" in page


def test_chosen_profile_zone_wins_over_country_zone(client, jamaica_participant):
    client.force_login(jamaica_participant.user)
    response = client.post(
        reverse("participants:profile"), {"first_name": "A", "last_name": "B", "timezone": "America/Paramaribo"}
    )
    assert response.status_code == 302
    page = client.get(reverse("sessions:schedule")).content.decode()
    assert "11:00 <span" in page  # Suriname is UTC−3


def test_profile_refuses_unknown_time_zone_and_keeps_the_old_one(client, jamaica_participant):
    client.force_login(jamaica_participant.user)
    response = client.post(
        reverse("participants:profile"), {"first_name": "A", "last_name": "B", "timezone": "Mars/Olympus"}
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    jamaica_participant.user.refresh_from_db()
    assert jamaica_participant.user.timezone == ""


def test_home_shows_next_session_with_join_link_and_preparation(client, jamaica_participant, time_machine):
    time_machine.move_to("2021-02-20T12:00:00Z")
    client.force_login(jamaica_participant.user)
    page = client.get(reverse("sessions:home")).content.decode()
    assert "Next session" in page
    assert "Session 1: Innovation and Digital Government Transformation" in page
    assert "The workshop has not started yet" in page
    assert "Transforming our world" in page


def test_home_during_and_after_the_workshop(client, jamaica_participant, time_machine):
    client.force_login(jamaica_participant.user)
    time_machine.move_to("2021-03-02T14:30:00Z")  # Session 2 of Group A is running
    page = client.get(reverse("sessions:home")).content.decode()
    assert "Happening now" in page and "Session 2:" in page
    time_machine.move_to("2021-04-30T12:00:00Z")
    page = client.get(reverse("sessions:home")).content.decode()
    assert "The workshop is over" in page and "5 of 5 sessions" in page


def test_session_page_shows_agenda_with_clock_times_and_speakers(client, jamaica_participant):
    client.force_login(jamaica_participant.user)
    occurrence = jamaica_participant.cohort.occurrences.get(session__number=1)
    page = client.get(reverse("sessions:detail", args=[occurrence.pk])).content.decode()
    assert "Welcome Remarks by CARICAD" in page
    assert "Mr. Devon Rowe" in page
    assert "10:55 ECT" in page  # the breakout activity
    assert "3 breakout rooms, random teams (10 min)" in page


def test_participant_cannot_open_the_other_groups_session(client, jamaica_participant):
    client.force_login(jamaica_participant.user)
    other = jamaica_participant.cohort.workshop.cohorts.exclude(pk=jamaica_participant.cohort_id).get()
    occurrence = other.occurrences.first()
    assert client.get(reverse("sessions:detail", args=[occurrence.pk])).status_code == 404
    assert client.get(reverse("sessions:ics", args=[occurrence.pk])).status_code == 404


def test_facilitator_of_the_workshop_opens_any_group_session(client, demo):
    facilitator = demo.facilitators.get()
    client.force_login(facilitator)
    for occurrence in demo.cohorts.get(name="Group B").occurrences.all():
        assert client.get(reverse("sessions:detail", args=[occurrence.pk])).status_code == 200


def test_schedule_requires_sign_in(client, demo):
    response = client.get(reverse("sessions:schedule"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_public_programme_has_agenda_and_focal_points_but_no_participant_data(client, demo):
    page = client.get(reverse("sessions:programme", args=[demo.slug])).content.decode()
    assert "Design Thinking for Digital Government Transformation" in page
    assert "dlrowe@caricad.net" in page
    assert "11:55 ECT" in page
    for participant in Participant.objects.select_related("user")[:40]:
        assert participant.user.email not in page
        assert participant.user.get_full_name() not in page


@pytest.mark.parametrize("sessions", [5, 50])
def test_schedule_and_session_pages_run_constant_queries(client, db, django_assert_max_num_queries, sessions):
    workshop = build_programme(sessions=sessions)
    participant = ParticipantFactory(cohort=workshop.cohorts.get(name="Group A"))
    client.force_login(participant.user)
    with django_assert_max_num_queries(10):
        assert client.get(reverse("sessions:schedule")).status_code == 200
    # The home gathers every app's to-do items (tests/test_home_todo.py holds its full budget).
    with django_assert_max_num_queries(15):
        assert client.get(reverse("sessions:home")).status_code == 200
    occurrence = participant.cohort.occurrences.last()
    # The session page gathers every feature's card for the group: preparation, live activities, DTCA, action
    # plan, evaluation. A fixed budget whatever the number of sessions.
    with django_assert_max_num_queries(15):
        assert client.get(reverse("sessions:detail", args=[occurrence.pk])).status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get(reverse("sessions:programme", args=[workshop.slug])).status_code == 200


def test_signed_in_person_without_group_gets_a_clear_page(client, db):
    client.force_login(UserFactory())
    response = client.get(reverse("sessions:schedule"))
    assert response.status_code == 404
    assert "not enrolled" in response.content.decode()


def test_deactivated_participant_has_no_schedule(client, db):
    workshop = build_programme(sessions=1)
    participant = ParticipantFactory(cohort=workshop.cohorts.first(), is_active=False)
    client.force_login(participant.user)
    assert client.get(reverse("sessions:schedule")).status_code == 404


def test_facilitator_start_page_lists_both_groups(client, demo):
    client.force_login(demo.facilitators.get())
    page = client.get(reverse("sessions:facilitate")).content.decode()
    assert "Group A" in page and "Group B" in page
    assert page.count("Session 5</a>") == 2


def test_participant_has_no_facilitator_start_page(client, demo):
    participant = Participant.objects.get(user__email="participant@demo.test")
    client.force_login(participant.user)
    assert client.get(reverse("sessions:facilitate")).status_code == 404
    assert "Facilitate</a>" not in client.get(reverse("sessions:home")).content.decode()


def test_programme_dates_are_in_the_reference_zone_whatever_the_viewer_zone(client, demo):
    # A viewer east of UTC+10 would otherwise see 24 February for a 23 February 10:00 ECT session.
    from participants.models import User

    viewer = User.objects.get(email="organizer@demo.test")
    viewer.timezone = "Pacific/Kiritimati"
    viewer.save()
    client.force_login(viewer)
    page = client.get(reverse("sessions:programme", args=[demo.slug])).content.decode()
    assert "<td>23 Feb 2021</td>" in page


def test_a_day_ahead_of_ect_the_schedule_gives_the_ect_side_its_own_date(client, jamaica_participant):
    # Pacific/Kiritimati is UTC+14: Session 1 at 10:00 ECT on Tuesday 23 February is 04:00 on Wednesday there.
    jamaica_participant.user.timezone = "Pacific/Kiritimati"
    jamaica_participant.user.save(update_fields=["timezone"])
    client.force_login(jamaica_participant.user)
    page = client.get(reverse("sessions:schedule")).content.decode()
    assert "Wednesday 24 February 2021" in page
    assert re.search(
        r"04:00–06:15 <span[^>]*>your time \(UTC\+14\)</span></time>\s*<span[^>]*>· Tue 23 Feb 10:00–12:15 ECT", page
    )
