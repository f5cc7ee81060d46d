"""What the live tools add to a participant's session page, and how it keeps itself current."""

from datetime import timedelta

import pytest
from django.urls import reverse

from live.models import Board, KeyMessages
from live.services import breakout as breakout_services
from live.services import debates as debate_services
from live.services import polls as poll_services

from .factories import UserFactory
from .factories_live import enrol, item_of, live_workshop, make_poll, occurrence_of


@pytest.fixture
def facilitator(db):
    return UserFactory(email="felix@example.org")


@pytest.fixture
def workshop(facilitator):
    return live_workshop(facilitator=facilitator)


@pytest.fixture
def occurrence(workshop):
    return occurrence_of(workshop)


def test_panel_refreshes_itself_only_around_the_session(client, occurrence, time_machine):
    member = enrol(occurrence.cohort, countries=1)[0]
    client.force_login(member.user)
    panel_url = reverse("live:session_panel", args=[occurrence.pk])
    time_machine.move_to(occurrence.starts_at - timedelta(days=2), tick=False)
    assert panel_url not in client.get(occurrence.get_absolute_url()).content.decode()
    time_machine.move_to(occurrence.starts_at + timedelta(minutes=30), tick=False)
    page = client.get(occurrence.get_absolute_url()).content.decode()
    assert f'hx-get="{panel_url}" hx-trigger="every 15s"' in page
    poll_services.open_poll(make_poll(occurrence.session), occurrence)
    fragment = client.get(panel_url, HTTP_HX_REQUEST="true").content.decode()
    assert "Vote now" in fragment and "<html" not in fragment


def test_panel_is_only_for_the_group_and_its_facilitators(client, workshop, occurrence, facilitator):
    panel_url = reverse("live:session_panel", args=[occurrence.pk])
    other = enrol(occurrence_of(workshop, "Group B").cohort, countries=1, prefix="b")[0]
    client.force_login(other.user)
    assert client.get(panel_url).status_code == 404
    client.force_login(facilitator)
    fragment = client.get(panel_url, HTTP_HX_REQUEST="true").content.decode()
    assert reverse("live:runsheet", args=[occurrence.pk]) in fragment


def test_a_live_fragment_opened_on_its_own_shows_its_whole_page(client, occurrence, facilitator):
    """Fragments are for htmx; opened directly (a bookmark, a new tab) they lead to the page with title and lang."""
    client.force_login(facilitator)
    panel = client.get(reverse("live:session_panel", args=[occurrence.pk]))
    assert panel.status_code == 302 and panel["Location"] == occurrence.get_absolute_url()
    runsheet = client.get(reverse("live:runsheet_panel", args=[occurrence.pk]), follow=True)
    page = runsheet.content.decode()
    assert runsheet.redirect_chain[-1][0] == reverse("live:runsheet", args=[occurrence.pk])
    assert "<html lang=" in page and "<title>" in page


def test_facilitator_reaches_the_run_sheet_from_the_session_page(client, occurrence, facilitator):
    client.force_login(facilitator)
    page = client.get(occurrence.get_absolute_url()).content.decode()
    assert f'href="{reverse("live:runsheet", args=[occurrence.pk])}"' in page


def test_session_page_with_every_live_activity_runs_constant_queries(client, occurrence, django_assert_max_num_queries):
    counts = []
    for countries in (2, 15):
        members = enrol(occurrence.cohort, countries=countries, prefix=f"q{countries}")
        KeyMessages.objects.update_or_create(occurrence=occurrence, defaults={"text": "A\nB"})
        draw = breakout_services.draw_breakout(occurrence, item_of(occurrence, "breakout"), by=None, rooms=2)
        breakout_services.publish_draw(draw)
        poll_services.open_poll(make_poll(occurrence.session, question=f"Q{countries}?"), occurrence)
        Board.objects.get_or_create(occurrence=occurrence, agenda_item=item_of(occurrence, "brainstorm"), prompt="?")
        debate_services.start_debate(occurrence, item_of(occurrence, "debate"), motion="Motion")
        client.force_login(members[0].user)
        with django_assert_max_num_queries(15) as captured:
            page = client.get(occurrence.get_absolute_url()).content.decode()
        assert "Your breakout room" in page and "Vote now" in page and "Brainstorming" in page
        assert "Key messages of Group A" in page and "Debate" in page
        counts.append(len(captured))
    assert counts[0] == counts[1]
