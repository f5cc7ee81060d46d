"""The viewer's participation and zone: looked up only where a page uses them, remembered per session, and
looked up again after every write that changes them (participants/viewer.py)."""

import pytest
from django.db import connection
from django.http import HttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import path, reverse
from django.utils import timezone

from assessments.selectors import instrument_structure
from participants.models import Participant
from tests.factories import CohortFactory, CountryFactory, ParticipantFactory, UserFactory, build_programme
from tests.factories_assessments import build_instrument


def bare(request):
    return HttpResponse("signed in" if request.user.is_authenticated else "anonymous")


def who(request):
    participation = request.participation
    group = participation.cohort.name if participation is not None else "none"
    return HttpResponse(f"{group}|{timezone.get_current_timezone_name()}|{request.is_facilitator}")


urlpatterns = [path("bare/", bare), path("who/", who)]


def participant_queries(captured) -> list[str]:
    return [q["sql"] for q in captured.captured_queries if '"participants_participant"' in q["sql"]]


def only_session_and_user(captured) -> bool:
    """At most the reads every signed-in request makes: the session and the user (with Redis, neither)."""
    tables = [q["sql"].split(" FROM ")[1].split()[0] for q in captured.captured_queries]
    return set(tables) <= {'"django_session"', '"participants_user"'} and len(tables) <= 2


@pytest.fixture
def group(db):
    return build_programme(sessions=2).cohorts.get(name="Group A")


@pytest.mark.urls("tests.test_viewer_cache")
def test_a_signed_in_request_that_needs_no_participation_runs_no_participation_query(client, group):
    person = ParticipantFactory(cohort=group, user=UserFactory(timezone="Europe/Paris", language="fr"))
    client.force_login(person.user)
    for _ in range(2):
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/bare/").content == b"signed in"
        assert participant_queries(captured) == []
        assert only_session_and_user(captured)


@pytest.mark.urls("tests.test_viewer_cache")
def test_the_workshop_language_is_looked_up_once_per_session_then_remembered(client, group):
    # Without a language of their own a person speaks their workshop's: found through the enrolment, once.
    person = ParticipantFactory(cohort=group, user=UserFactory(timezone="Europe/Paris"))
    client.force_login(person.user)
    with CaptureQueriesContext(connection) as first:
        client.get("/bare/")
    assert len(participant_queries(first)) == 1
    with CaptureQueriesContext(connection) as later:
        assert client.get("/bare/").content == b"signed in"
    assert participant_queries(later) == []
    assert only_session_and_user(later)


@pytest.mark.urls("tests.test_viewer_cache")
def test_the_country_zone_is_looked_up_once_per_session_then_remembered(client, group):
    person = ParticipantFactory(cohort=group, country=CountryFactory(timezone="America/Jamaica"))
    client.force_login(person.user)
    with CaptureQueriesContext(connection) as first:
        client.get("/bare/")
    assert len(participant_queries(first)) == 1  # no zone of their own: their country's, through the enrolment
    with CaptureQueriesContext(connection) as later:
        assert client.get("/who/").content.decode() == "Group A|America/Jamaica|False"
    assert participant_queries(later) == []
    assert only_session_and_user(later)


@pytest.mark.urls("tests.test_viewer_cache")
def test_changing_the_persons_zone_shows_on_the_next_page(client, group):
    person = ParticipantFactory(cohort=group, country=CountryFactory(timezone="America/Jamaica"))
    client.force_login(person.user)
    assert "|America/Jamaica|" in client.get("/who/").content.decode()
    person.user.timezone = "Asia/Tokyo"
    person.user.save()
    assert "|Asia/Tokyo|" in client.get("/who/").content.decode()
    person.user.timezone = ""
    person.user.save()
    person.country.timezone = "America/Barbados"
    person.country.save()
    assert "|America/Barbados|" in client.get("/who/").content.decode()


@pytest.mark.urls("tests.test_viewer_cache")
def test_an_enrolment_change_shows_on_the_next_page(client, group):
    person = ParticipantFactory(cohort=group)
    client.force_login(person.user)
    assert client.get("/who/").content.decode().startswith("Group A|")
    ParticipantFactory(user=person.user, cohort=CohortFactory(workshop=group.workshop, name="Group C"))
    assert client.get("/who/").content.decode().startswith("Group C|")
    for participation in Participant.objects.filter(user=person.user):
        participation.is_active = False
        participation.save()
    assert client.get("/who/").content.decode().startswith("none|")


@pytest.mark.urls("tests.test_viewer_cache")
def test_a_group_renamed_shows_on_the_next_page(client, group):
    person = ParticipantFactory(cohort=group)
    client.force_login(person.user)
    assert client.get("/who/").content.decode().startswith("Group A|")
    group.name = "Group Alpha"
    group.save()
    assert client.get("/who/").content.decode().startswith("Group Alpha|")


@pytest.mark.urls("tests.test_viewer_cache")
def test_becoming_a_facilitator_shows_on_the_next_page(client, group):
    person = ParticipantFactory(cohort=group)
    client.force_login(person.user)
    assert client.get("/who/").content.decode().endswith("|False")
    group.workshop.facilitators.add(person.user)
    assert client.get("/who/").content.decode().endswith("|True")
    group.workshop.facilitators.remove(person.user)
    assert client.get("/who/").content.decode().endswith("|False")


def test_one_session_never_sees_another_persons_participation(client, group):
    first = ParticipantFactory(cohort=group)
    second = ParticipantFactory(cohort=build_programme(sessions=1).cohorts.get(name="Group B"))
    client.force_login(first.user)
    assert first.cohort.workshop.title in client.get(reverse("sessions:schedule")).content.decode()
    client.force_login(second.user)
    page = client.get(reverse("sessions:schedule")).content.decode()
    assert second.cohort.name in page and first.country.name not in page


def test_the_questionnaire_structure_is_read_again_after_a_change(db):
    instrument = build_instrument()
    assert instrument_structure(instrument).statements[0].text != "Changed"
    statement = instrument_structure(instrument).statements[0]
    statement.text = "Changed"
    statement.save()
    assert instrument_structure(instrument).statements[0].text == "Changed"
    level = instrument_structure(instrument).scale[0]
    level.label = "Rebuilt"
    level.save()
    assert instrument_structure(instrument).scale[0].label == "Rebuilt"
