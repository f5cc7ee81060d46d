import pytest
from django.test import Client
from django.urls import reverse

from live.models import KeyMessages

from .factories import UserFactory
from .factories_live import enrol, live_workshop, occurrence_of


@pytest.fixture
def facilitator(db):
    return UserFactory(email="felix@example.org")


@pytest.fixture
def workshop(facilitator):
    return live_workshop(facilitator=facilitator)


@pytest.fixture
def facilitator_client(facilitator):
    facilitator_client = Client()
    facilitator_client.force_login(facilitator)
    return facilitator_client


def test_key_messages_recorded_at_the_end_appear_on_that_groups_session_page(client, facilitator_client, workshop):
    group_a, group_b = occurrence_of(workshop, "Group A"), occurrence_of(workshop, "Group B")
    url = reverse("live:key_messages", args=[group_a.pk])
    response = facilitator_client.post(url, {"text": "Change must be fast.\n\n  Personal change comes first.  \n"})
    assert response.status_code == 302
    assert KeyMessages.objects.get().message_list == ["Change must be fast.", "Personal change comes first."]

    member_a = enrol(group_a.cohort, countries=1, prefix="a")[0]
    client.force_login(member_a.user)
    page = client.get(group_a.get_absolute_url()).content.decode()
    assert "Key messages of Group A" in page and "<li>Personal change comes first.</li>" in page

    member_b = enrol(group_b.cohort, countries=1, prefix="b")[0]
    client.force_login(member_b.user)
    assert "Personal change comes first." not in client.get(group_b.get_absolute_url()).content.decode()


def test_empty_text_removes_the_key_messages(facilitator_client, workshop):
    occurrence = occurrence_of(workshop)
    url = reverse("live:key_messages", args=[occurrence.pk])
    facilitator_client.post(url, {"text": "One message"})
    assert "One message" in facilitator_client.get(url).content.decode()
    facilitator_client.post(url, {"text": "  \n "})
    assert not KeyMessages.objects.exists()


def test_only_facilitators_record_key_messages(client, workshop):
    occurrence = occurrence_of(workshop)
    member = enrol(occurrence.cohort, countries=1)[0]
    client.force_login(member.user)
    url = reverse("live:key_messages", args=[occurrence.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"text": "Hijacked"}).status_code == 404
    assert not KeyMessages.objects.exists()
