import csv
import io

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from live.models import Board, BoardHeading, Idea, IdeaVote
from live.services import boards as board_services
from sessions_app.models import AgendaItem

from .factories import UserFactory
from .factories_live import enrol, item_of, live_workshop, occurrence_of

PROMPT = "In what ways might Design Thinking and Innovation Labs add value to our public services?"


@pytest.fixture
def facilitator(db):
    return UserFactory(email="felix@example.org")


@pytest.fixture
def workshop(facilitator):
    workshop = live_workshop(facilitator=facilitator)
    AgendaItem.objects.filter(kind=AgendaItem.Kind.BRAINSTORM).update(description=PROMPT)
    return workshop


@pytest.fixture
def occurrence(workshop):
    return occurrence_of(workshop)


@pytest.fixture
def group(occurrence):
    return enrol(occurrence.cohort, countries=2)


@pytest.fixture
def board(occurrence):
    return board_services.start_board(occurrence, item_of(occurrence, "brainstorm"), prompt="")


@pytest.fixture
def facilitator_client(facilitator):
    facilitator_client = Client()
    facilitator_client.force_login(facilitator)
    return facilitator_client


def test_facilitator_opens_the_board_with_the_agenda_prompt(facilitator_client, occurrence):
    url = reverse("live:board_start", args=[occurrence.pk, item_of(occurrence, "brainstorm").pk])
    assert PROMPT in facilitator_client.get(url).content.decode()  # prefilled
    response = facilitator_client.post(url, {"text": PROMPT})
    board = Board.objects.get()
    assert response.status_code == 302 and response["Location"] == board.get_absolute_url()
    assert board.prompt == PROMPT and board.is_open
    assert facilitator_client.get(url)["Location"] == board.get_absolute_url()  # a second start opens the same board


def test_participants_post_short_ideas(client, board, group):
    client.force_login(group[0].user)
    response = client.post(board.get_absolute_url(), {"text": "  Co-design services   with citizens  "}, follow=True)
    assert "Idea posted" in response.content.decode()
    assert Idea.objects.get().text == "Co-design services with citizens"
    too_long = client.post(board.get_absolute_url(), {"text": "x" * 281})
    assert too_long.status_code == 400 and Idea.objects.count() == 1


def test_one_vote_per_idea_per_participant_and_a_second_click_takes_it_back(client, board, group):
    idea = board_services.post_idea(board, group[0], "A regional innovation lab")
    client.force_login(group[1].user)
    url = reverse("live:idea_vote", args=[idea.pk])
    fragment = client.post(url, HTTP_HX_REQUEST="true").content.decode()
    assert "1 vote" in fragment and 'aria-pressed="true"' in fragment and "<html" not in fragment
    assert IdeaVote.objects.filter(idea=idea).count() == 1
    client.post(url, HTTP_HX_REQUEST="true")
    assert not IdeaVote.objects.exists()
    IdeaVote.objects.create(idea=idea, participant=group[1])
    with pytest.raises(IntegrityError), transaction.atomic():
        IdeaVote.objects.create(idea=idea, participant=group[1])


def test_facilitator_groups_ideas_under_headings(facilitator_client, board, group):
    ideas = [
        board_services.post_idea(board, group[i], text) for i, text in enumerate(["Co-design", "Prototype", "Train"])
    ]
    facilitator_client.post(reverse("live:heading_add", args=[board.pk]), {"title": "Citizen-centred services"})
    heading = BoardHeading.objects.get()
    fragment = facilitator_client.post(
        reverse("live:idea_file", args=[ideas[0].pk]), {"heading": heading.pk}, HTTP_HX_REQUEST="true"
    ).content.decode()
    ideas[0].refresh_from_db()
    assert ideas[0].heading == heading
    assert fragment.index("Citizen-centred services") < fragment.index("Co-design") < fragment.index("Not grouped yet")
    assert fragment.index("Not grouped yet") < fragment.index("Prototype")
    # Removing the heading puts its ideas back under "Not grouped yet".
    facilitator_client.post(reverse("live:heading_delete", args=[heading.pk]))
    ideas[0].refresh_from_db()
    assert ideas[0].heading is None


def test_participants_see_countries_and_facilitators_see_names(client, facilitator_client, board, group):
    board_services.post_idea(board, group[0], "Open data hackathons")
    client.force_login(group[2].user)
    page = client.get(board.get_absolute_url()).content.decode()
    assert group[0].country.name in page and group[0].user.get_full_name() not in page
    assert group[0].user.get_full_name() in facilitator_client.get(board.get_absolute_url()).content.decode()


def test_participants_cannot_group_or_remove_others_ideas(client, board, group):
    idea = board_services.post_idea(board, group[0], "Innovation champions")
    heading = board_services.add_heading(board, "Skills")
    client.force_login(group[1].user)
    assert client.post(reverse("live:idea_file", args=[idea.pk]), {"heading": heading.pk}).status_code == 404
    assert client.post(reverse("live:heading_add", args=[board.pk]), {"title": "Mine"}).status_code == 404
    client.post(reverse("live:idea_remove", args=[idea.pk]))
    assert Idea.objects.filter(pk=idea.pk).exists()
    client.force_login(group[0].user)
    client.post(reverse("live:idea_remove", args=[idea.pk]))
    assert not Idea.objects.filter(pk=idea.pk).exists()


def test_closed_board_refuses_ideas_and_votes_but_stays_readable(client, facilitator_client, board, group):
    idea = board_services.post_idea(board, group[0], "Safe space to experiment")
    facilitator_client.post(reverse("live:board_toggle", args=[board.pk]), {"open": "0"})
    client.force_login(group[1].user)
    page = client.get(board.get_absolute_url()).content.decode()
    assert "Safe space to experiment" in page and "The board is closed" in page
    assert 'name="text"' not in page and "hx-trigger" not in page
    response = client.post(board.get_absolute_url(), {"text": "Late idea"}, follow=True)
    assert "it no longer takes ideas" in response.content.decode()
    client.post(reverse("live:idea_vote", args=[idea.pk]))
    assert Idea.objects.count() == 1 and not IdeaVote.objects.exists()


def test_board_exports_as_csv_with_headings_and_votes(facilitator_client, board, group):
    heading = board_services.add_heading(board, "Citizen-centred services")
    first = board_services.post_idea(board, group[0], "Co-design, with citizens")
    board_services.file_idea(first, heading)
    board_services.post_idea(board, group[1], "Hackathons")
    for participant in group[1:]:
        board_services.toggle_idea_vote(first, participant)
    response = facilitator_client.get(reverse("live:board_export", args=[board.pk]))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][:5] == ["Heading", "Idea", "Votes", "Author", "Country"]
    assert rows[1][:5] == [
        "Citizen-centred services",
        "Co-design, with citizens",
        "3",
        str(group[0].user),
        group[0].country.name,
    ]
    assert rows[2][:5] == ["", "Hackathons", "0", str(group[1].user), group[1].country.name]
    assert len(rows) == 3


def test_export_does_not_let_an_idea_run_as_a_spreadsheet_formula(facilitator_client, board, group):
    board_services.post_idea(board, group[0], '=HYPERLINK("http://evil.example","Click")')
    response = facilitator_client.get(reverse("live:board_export", args=[board.pk]))
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[1][1] == '\'=HYPERLINK("http://evil.example","Click")'


def test_filing_under_a_heading_that_is_not_a_number_changes_nothing(facilitator_client, board, group):
    idea = board_services.post_idea(board, group[0], "Innovation champions")
    response = facilitator_client.post(reverse("live:idea_file", args=[idea.pk]), {"heading": "abc"}, follow=True)
    assert response.status_code == 200 and "That heading no longer exists" in response.content.decode()
    idea.refresh_from_db()
    assert idea.heading is None


def test_other_groups_participants_cannot_open_the_board(client, workshop, board):
    other = enrol(occurrence_of(workshop, "Group B").cohort, countries=1, prefix="b")[0]
    client.force_login(other.user)
    assert client.get(board.get_absolute_url()).status_code == 404
    assert client.post(board.get_absolute_url(), {"text": "Sneaky"}).status_code == 404
    assert client.get(reverse("live:board_export", args=[board.pk])).status_code == 404
    assert not Idea.objects.exists()


def test_a_participant_of_the_group_cannot_download_the_board_with_its_authors_names(client, board, group):
    # A surname the reader cannot share (the factory's random ones sometimes match, and the page shows the reader's).
    group[0].user.last_name = "Quistgaard"
    group[0].user.save(update_fields=["last_name"])
    board_services.post_idea(board, group[0], "Journey maps")
    client.force_login(group[1].user)
    assert client.get(board.get_absolute_url()).status_code == 200  # the board itself, yes
    response = client.get(reverse("live:board_export", args=[board.pk]))
    assert response.status_code == 404
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert group[0].user.last_name.encode() not in body and b"Journey maps" not in body


def test_board_is_linked_from_the_participants_session_page(client, board, group):
    board_services.post_idea(board, group[0], "Journey maps")
    client.force_login(group[1].user)
    page = client.get(board.occurrence.get_absolute_url()).content.decode()
    assert f'href="{board.get_absolute_url()}"' in page and "1 idea" in page


@pytest.mark.parametrize("countries", [2, 20])
def test_board_runs_constant_queries(
    client, facilitator_client, occurrence, board, django_assert_max_num_queries, countries
):
    group = enrol(occurrence.cohort, countries=countries)
    heading = board_services.add_heading(board, "Faster services")
    for participant in group:
        idea = board_services.post_idea(board, participant, f"Idea of {participant.user.email}")
        board_services.file_idea(idea, heading if participant.pk % 2 else None)
        board_services.toggle_idea_vote(idea, group[0])
    client.force_login(group[0].user)
    with django_assert_max_num_queries(10):
        assert client.get(board.get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(11):
        assert facilitator_client.get(board.get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get(reverse("live:board_ideas", args=[board.pk]), HTTP_HX_REQUEST="true").status_code == 200
