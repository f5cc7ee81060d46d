import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from live.models import Board, PollRun
from live.selectors import runsheet as runsheet_selectors
from live.templatetags.live_tags import countdown, in_words

from .factories import UserFactory
from .factories_live import GROUP_A_START, enrol, item_of, live_workshop, make_poll, mark, occurrence_of


@pytest.fixture
def facilitator(db):
    return UserFactory(email="felix@example.org")


@pytest.fixture
def workshop(facilitator):
    return live_workshop(facilitator=facilitator)


@pytest.fixture
def occurrence(workshop):
    return occurrence_of(workshop)


@pytest.fixture
def facilitator_client(facilitator):
    # A client of its own, so a test can act as a participant with `client` at the same time.
    facilitator_client = Client()
    facilitator_client.force_login(facilitator)
    return facilitator_client


def at(minutes, seconds=0):
    """A moment that many minutes into Group A's session (10:00 ECT)."""
    return GROUP_A_START + timedelta(minutes=minutes, seconds=seconds)


def position_at(occurrence, moment):
    return runsheet_selectors.agenda_position(occurrence, occurrence.session.agenda_items.all(), moment)


def test_current_item_is_the_one_whose_clock_span_holds_now(occurrence, time_machine):
    time_machine.move_to(at(45, 30))
    position = position_at(occurrence, None)
    assert position.phase == "running"
    assert position.current.title == "Purpose of government"  # 10:40–11:00
    assert position.time_left == timedelta(minutes=14, seconds=30)
    assert position.next.title == "Break"
    assert position.until_next == timedelta(minutes=14, seconds=30)
    assert position.current_percent == 28


def test_an_item_ends_when_the_next_one_starts(occurrence):
    position = position_at(occurrence, at(60))
    assert position.current.title == "Break"
    assert position.next.title == "Poll on obstacles to change"
    assert position_at(occurrence, at(59, 59)).current.title == "Purpose of government"


def test_before_and_after_the_session(occurrence):
    before = position_at(occurrence, at(-20))
    assert before.phase == "before" and before.current is None
    assert before.next.title == "Welcome" and before.until_start == timedelta(minutes=20)
    last = position_at(occurrence, at(134))
    assert last.current.title == "Conclusion" and last.next is None
    after = position_at(occurrence, at(135))
    assert after.phase == "after" and after.current is None and after.next is None


def test_a_gap_in_the_agenda_has_no_current_item_but_a_next_one(occurrence):
    occurrence.session.agenda_items.filter(title="Break").delete()
    position = position_at(occurrence, at(65))
    assert position.phase == "running" and position.current is None
    assert position.next.title == "Poll on obstacles to change"


def test_run_sheet_shows_the_current_item_with_time_left_speakers_and_next(
    facilitator_client, occurrence, time_machine
):
    time_machine.move_to(at(20), tick=False)
    page = facilitator_client.get(reverse("live:runsheet", args=[occurrence.pk])).content.decode()
    now = page[page.index('id="runsheet-now"') : page.index('id="runsheet-next"')]
    assert "Innovation and faster change" in now
    assert "20:00" in now and "left" in now  # 10:15–10:40, five minutes in
    assert "Dimis Michaelides" in now
    assert "Three levels of change." in now
    following = page[page.index('id="runsheet-next"') : page.index('id="runsheet-status"')]
    assert "Purpose of government" in following and "in 20 min" in following
    assert 'hx-get="{}"'.format(reverse("live:runsheet_panel", args=[occurrence.pk])) in page
    assert 'hx-trigger="every 10s"' in page


def test_run_sheet_refreshes_slowly_away_from_the_session(facilitator_client, occurrence, time_machine):
    time_machine.move_to(at(-60 * 24), tick=False)
    page = facilitator_client.get(reverse("live:runsheet", args=[occurrence.pk])).content.decode()
    assert 'hx-trigger="every 60s"' in page
    time_machine.move_to(at(-20), tick=False)
    panel = facilitator_client.get(
        reverse("live:runsheet_panel", args=[occurrence.pk]), HTTP_HX_REQUEST="true"
    ).content.decode()
    assert 'hx-trigger="every 10s"' in panel and 'hx-swap="outerHTML"' in panel


def test_run_sheet_panel_follows_the_clock_without_a_reload(facilitator_client, occurrence, time_machine):
    url = reverse("live:runsheet_panel", args=[occurrence.pk])
    time_machine.move_to(at(71), tick=False)
    panel = facilitator_client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in panel
    assert re.search(r'id="runsheet-now".*Poll on obstacles to change', panel, re.S)
    time_machine.move_to(at(95), tick=False)
    panel = facilitator_client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert re.search(r'id="runsheet-now".*Brainstorming', panel, re.S)
    time_machine.move_to(at(140), tick=False)
    panel = facilitator_client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "This session ended" in panel


@pytest.mark.parametrize(
    ("minutes", "tool", "url_name"),
    [
        (45, "Breakout rooms", "live:breakout"),
        (75, "Poll", "live:polls"),
        (95, "Board", "live:board_start"),
        (115, "Debate", "live:debate_start"),
        (130, "Key messages", "live:key_messages"),
    ],
)
def test_current_item_offers_its_tool_and_attendance(
    facilitator_client, occurrence, time_machine, minutes, tool, url_name
):
    time_machine.move_to(at(minutes), tick=False)
    page = facilitator_client.get(reverse("live:runsheet", args=[occurrence.pk])).content.decode()
    now = page[page.index('id="runsheet-now"') : page.index('id="runsheet-next"')]
    current = runsheet_selectors.agenda_position(occurrence, occurrence.session.agenda_items.all()).current
    args = [occurrence.pk] if url_name in {"live:polls", "live:key_messages"} else [occurrence.pk, current.pk]
    assert f'href="{reverse(url_name, args=args)}' in now
    assert f">{tool}" in now
    assert f'href="{reverse("attendance:attendance", args=[occurrence.pk])}"' in now


def test_tools_say_what_exists_and_link_to_it(facilitator_client, occurrence, time_machine, facilitator):
    board = Board.objects.create(occurrence=occurrence, agenda_item=item_of(occurrence, "brainstorm"), prompt="Ideas?")
    poll = make_poll(occurrence.session)
    PollRun.objects.create(poll=poll, occurrence=occurrence, opened_at=at(70))
    time_machine.move_to(at(95), tick=False)
    page = facilitator_client.get(reverse("live:runsheet", args=[occurrence.pk])).content.decode()
    assert f'href="{board.get_absolute_url()}"' in page
    assert "Poll open" in page and poll.question in page
    assert "1 open" in page


def test_attendance_summary_on_the_run_sheet(facilitator_client, occurrence):
    group = enrol(occurrence.cohort, countries=3)
    mark(occurrence, group[:5])
    mark(occurrence, group[5:], "absent")
    page = facilitator_client.get(reverse("live:runsheet", args=[occurrence.pk])).content.decode()
    assert "<strong>5</strong> present, 1 absent of 6" in page


def test_only_facilitators_of_the_workshop_open_the_run_sheet(client, occurrence, organizer):
    participant = enrol(occurrence.cohort, countries=1)[0]
    client.force_login(participant.user)
    assert client.get(reverse("live:runsheet", args=[occurrence.pk])).status_code == 404
    assert client.get(reverse("live:runsheet_panel", args=[occurrence.pk])).status_code == 404
    stranger = UserFactory(email="stranger@example.org")
    live_workshop(facilitator=stranger)
    client.force_login(stranger)
    assert client.get(reverse("live:runsheet", args=[occurrence.pk])).status_code == 404
    client.force_login(organizer)  # organizers run every workshop
    assert client.get(reverse("live:runsheet", args=[occurrence.pk])).status_code == 200


def test_facilitator_start_page_links_each_occurrence_to_its_run_sheet(facilitator_client, workshop):
    page = facilitator_client.get(reverse("sessions:facilitate")).content.decode()
    for occurrence in workshop.sessions.get().occurrences.all():
        assert f'href="{reverse("live:runsheet", args=[occurrence.pk])}">Run-sheet</a>' in page


def test_projector_layout_has_dark_mode_and_large_type(facilitator_client, occurrence):
    page = facilitator_client.get(reverse("live:runsheet", args=[occurrence.pk])).content.decode()
    assert "data-runsheet-theme" in page and "data-runsheet-projector" in page
    assert "live/live.css" in page and "live/runsheet.js" in page
    # The theme is set by a script file in <head>, before the first paint (the CSP allows no inline script).
    assert "live/runsheet-theme.js" in page.split("</head>")[0]


@pytest.mark.parametrize("countries", [2, 20])
def test_run_sheet_and_panel_run_constant_queries(
    facilitator_client, occurrence, facilitator, django_assert_max_num_queries, time_machine, countries
):
    group = enrol(occurrence.cohort, countries=countries)
    mark(occurrence, group)
    poll = make_poll(occurrence.session)
    PollRun.objects.create(poll=poll, occurrence=occurrence, opened_at=at(70))
    Board.objects.create(occurrence=occurrence, agenda_item=item_of(occurrence, "brainstorm"), prompt="Ideas?")
    time_machine.move_to(at(45), tick=False)
    with django_assert_max_num_queries(13):
        assert facilitator_client.get(reverse("live:runsheet", args=[occurrence.pk])).status_code == 200
    with django_assert_max_num_queries(12):
        assert (
            facilitator_client.get(
                reverse("live:runsheet_panel", args=[occurrence.pk]), HTTP_HX_REQUEST="true"
            ).status_code
            == 200
        )


def test_countdown_and_words():
    assert countdown(timedelta(minutes=4, seconds=5)) == "4:05"
    assert countdown(timedelta(hours=1, minutes=2, seconds=3)) == "1:02:03"
    assert countdown(timedelta(seconds=-5)) == "0:00"
    assert in_words(timedelta(minutes=20)) == "in 20 min"
    assert in_words(timedelta(minutes=125)) == "in 2 h 05 min"
    assert in_words(timedelta(days=2, hours=3)) == "in 2 days 3 h"
    assert in_words(timedelta(seconds=10)) == "now"


def test_after_the_session_the_banner_gives_the_date_and_only_what_is_still_to_do(
    facilitator_client, occurrence, time_machine
):
    from live.models import KeyMessages

    group = enrol(occurrence.cohort, countries=2)
    url = reverse("live:runsheet", args=[occurrence.pk])
    time_machine.move_to(at(140), tick=False)
    mark(occurrence, group[:-1])  # one participant not marked yet
    page = facilitator_client.get(url).content.decode()
    banner = re.search(r'class="alert[^"]*runsheet-phase.*?</div>', page, re.S).group(0)
    assert occurrence.ends_at.astimezone(occurrence.session.workshop.tz).strftime("%-d %B %Y") in banner
    assert "Still to do:" in banner and reverse("attendance:attendance", args=[occurrence.pk]) in banner
    assert reverse("live:key_messages", args=[occurrence.pk]) in banner

    mark(occurrence, group[-1:], "absent")
    KeyMessages.objects.create(occurrence=occurrence, text="Digital first")
    banner = re.search(
        r'class="alert[^"]*runsheet-phase.*?</div>', facilitator_client.get(url).content.decode(), re.S
    ).group(0)
    assert "Still to do" not in banner
    assert "Attendance and key messages are recorded." in banner
