import re

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from live import services as live_services
from live.demo import OBSTACLES, OBSTACLES_QUESTION
from live.models import Poll, PollRun, PollVote
from live.services import polls as poll_services
from participants.models import Participant

from .factories import UserFactory
from .factories_live import enrol, live_workshop, make_poll, occurrence_of


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
def group(occurrence):
    return enrol(occurrence.cohort, countries=3)


@pytest.fixture
def poll(occurrence):
    return make_poll(occurrence.session)


@pytest.fixture
def run(poll, occurrence):
    return poll_services.open_poll(poll, occurrence)


@pytest.fixture
def facilitator_client(facilitator):
    # A client of its own, so a test can act as a participant with `client` at the same time.
    facilitator_client = Client()
    facilitator_client.force_login(facilitator)
    return facilitator_client


def vote(client, run, *option_texts):
    ids = [run.poll.options.get(text=text).pk for text in option_texts]
    return client.post(reverse("live:poll_vote", args=[run.pk]), {"options": ids}, follow=True)


def test_participant_votes_once_and_a_second_vote_is_refused(client, run, group):
    client.force_login(group[0].user)
    page = client.get(reverse("live:poll_vote", args=[run.pk])).content.decode()
    assert run.poll.question in page and 'type="radio"' in page
    assert "Your vote is recorded" in vote(client, run, "Budget").content.decode()
    second = vote(client, run, "Skills").content.decode()
    assert "already voted in this poll" in second
    assert PollVote.objects.get().options.get().text == "Budget"


def test_the_database_holds_one_vote_per_participant_per_poll(run, group):
    PollVote.objects.create(run=run, participant=group[0])
    with pytest.raises(IntegrityError), transaction.atomic():
        PollVote.objects.create(run=run, participant=group[0])


def test_a_closed_poll_refuses_votes_with_a_message(client, run, group):
    poll_services.close_poll(run)
    client.force_login(group[0].user)
    page = client.get(reverse("live:poll_vote", args=[run.pk])).content.decode()
    assert "This poll is closed" in page and 'type="radio"' not in page
    response = vote(client, run, "Budget")
    assert "This poll is closed; your vote was not recorded." in response.content.decode()
    assert not PollVote.objects.exists()


def test_multiple_choice_takes_several_options_up_to_its_maximum(client, occurrence, group):
    poll = make_poll(occurrence.session, question="Which obstacles?", kind=Poll.Kind.MULTIPLE, max_choices=2)
    run = poll_services.open_poll(poll, occurrence)
    client.force_login(group[0].user)
    assert 'type="checkbox"' in client.get(reverse("live:poll_vote", args=[run.pk])).content.decode()
    assert "Choose at most 2 options" in vote(client, run, "Culture", "Budget", "Skills").content.decode()
    assert not PollVote.objects.exists()
    vote(client, run, "Culture", "Skills")
    assert sorted(PollVote.objects.get().options.values_list("text", flat=True)) == ["Culture", "Skills"]


def test_single_choice_refuses_two_options(run, group):
    options = list(run.poll.options.all()[:2])
    with pytest.raises(live_services.LiveError, match="only one"):
        poll_services.cast_vote(run, group[0], [o.pk for o in options])


def test_results_are_shown_to_participants_only_when_the_facilitator_chooses(client, facilitator_client, run, group):
    client.force_login(group[1].user)
    vote(client, run, "Budget")
    client.force_login(group[0].user)
    results_url = reverse("live:poll_results", args=[run.pk])
    assert "Results" not in client.get(results_url, HTTP_HX_REQUEST="true").content.decode()
    facilitator_page = facilitator_client.get(
        reverse("live:polls_live", args=[run.occurrence_id]), HTTP_HX_REQUEST="true"
    ).content.decode()
    assert re.search(r"Budget</span><span[^>]*><strong>1</strong> · 100%", facilitator_page)
    facilitator_client.post(reverse("live:poll_share", args=[run.pk]), {"visible": "1"})
    shared = client.get(results_url, HTTP_HX_REQUEST="true").content.decode()
    assert "Results so far" in shared and "<strong>1</strong> · 100%" in shared


def test_results_refresh_themselves_while_the_poll_is_open(client, facilitator_client, run, group):
    page = facilitator_client.get(reverse("live:polls", args=[run.occurrence_id])).content.decode()
    assert f'hx-get="{reverse("live:polls_live", args=[run.occurrence_id])}" hx-trigger="every 5s"' in page
    client.force_login(group[0].user)
    vote_page = client.get(reverse("live:poll_vote", args=[run.pk])).content.decode()
    assert f'hx-get="{reverse("live:poll_results", args=[run.pk])}"' in vote_page
    poll_services.close_poll(run)
    poll_services.set_results_visible(run, True)
    assert (
        "hx-trigger"
        not in client.get(reverse("live:poll_results", args=[run.pk]), HTTP_HX_REQUEST="true").content.decode()
    )


def test_only_facilitators_open_and_close_polls(client, poll, occurrence, group):
    client.force_login(group[0].user)
    assert client.post(reverse("live:poll_open", args=[occurrence.pk, poll.pk])).status_code == 404
    assert client.get(reverse("live:polls", args=[occurrence.pk])).status_code == 404
    assert not PollRun.objects.exists()
    run = poll_services.open_poll(poll, occurrence)
    assert client.post(reverse("live:poll_close", args=[run.pk])).status_code == 404
    assert client.post(reverse("live:poll_share", args=[run.pk]), {"visible": "1"}).status_code == 404
    run.refresh_from_db()
    assert run.is_open and not run.results_visible


def test_facilitator_opens_closes_and_reopens_a_poll(facilitator_client, poll, occurrence):
    facilitator_client.post(reverse("live:poll_open", args=[occurrence.pk, poll.pk]))
    run = PollRun.objects.get()
    assert run.is_open
    facilitator_client.post(reverse("live:poll_close", args=[run.pk]))
    run.refresh_from_db()
    assert not run.is_open and run.closed_at
    facilitator_client.post(reverse("live:poll_open", args=[occurrence.pk, poll.pk]))
    run.refresh_from_db()
    assert run.is_open and run.closed_at is None and PollRun.objects.count() == 1


def test_participant_of_the_other_group_cannot_see_or_vote(client, workshop, run):
    other = enrol(occurrence_of(workshop, "Group B").cohort, countries=1, prefix="b")[0]
    client.force_login(other.user)
    assert client.get(reverse("live:poll_vote", args=[run.pk])).status_code == 404
    option = run.poll.options.first()
    assert client.post(reverse("live:poll_vote", args=[run.pk]), {"options": [option.pk]}).status_code == 404
    assert not PollVote.objects.exists()


def test_open_poll_appears_on_the_participants_session_page(client, run, group):
    client.force_login(group[0].user)
    page = client.get(run.occurrence.get_absolute_url()).content.decode()
    assert run.poll.question in page and "Vote now" in page
    poll_services.cast_vote(run, group[0], [run.poll.options.first().pk])
    assert "Voted" in client.get(run.occurrence.get_absolute_url()).content.decode()


def test_polls_are_defined_per_session_so_both_groups_get_the_question(facilitator_client, workshop, occurrence):
    response = facilitator_client.post(
        reverse("live:polls", args=[occurrence.pk]),
        {"question": "Is change fast enough?", "kind": "single", "options": "Yes\nNo\n\nNot sure"},
    )
    assert response.status_code == 302
    poll = Poll.objects.get()
    assert list(poll.options.values_list("text", flat=True)) == ["Yes", "No", "Not sure"]
    group_b = occurrence_of(workshop, "Group B")
    assert "Is change fast enough?" in facilitator_client.get(reverse("live:polls", args=[group_b.pk])).content.decode()


def test_a_poll_needs_two_options_and_a_new_question(facilitator_client, occurrence, poll):
    url = reverse("live:polls", args=[occurrence.pk])
    alone = {"question": "Alone?", "kind": "single", "options": "Only one"}
    assert "at least two different options" in facilitator_client.post(url, alone).content.decode()
    twice = {"question": poll.question, "kind": "single", "options": "a\nb"}
    page = facilitator_client.post(url, twice).content.decode()
    assert "already has that question" in page
    assert Poll.objects.count() == 1


def test_a_poll_with_answers_can_no_longer_be_changed(facilitator_client, run, group):
    poll_services.cast_vote(run, group[0], [run.poll.options.first().pk])
    url = reverse("live:poll_edit", args=[run.poll.pk]) + f"?occurrence={run.occurrence_id}"
    page = facilitator_client.post(
        url, {"question": "Changed?", "kind": "single", "options": "a\nb", "occurrence": run.occurrence_id}
    ).content.decode()
    assert "it can no longer be changed" in page
    run.poll.refresh_from_db()
    assert run.poll.question == "Which obstacle weighs most?"


def test_poll_edit_refuses_an_occurrence_that_is_not_a_number_or_of_another_session(
    facilitator_client, facilitator, poll
):
    url = reverse("live:poll_edit", args=[poll.pk])
    assert facilitator_client.get(url, {"occurrence": "abc"}).status_code == 404
    elsewhere = occurrence_of(live_workshop(facilitator=facilitator))  # also facilitated, another session
    assert facilitator_client.get(url, {"occurrence": elsewhere.pk}).status_code == 404
    assert facilitator_client.get(url).status_code == 200


def test_results_of_the_same_question_are_compared_across_groups(facilitator_client, workshop, poll):
    group_a, group_b = occurrence_of(workshop, "Group A"), occurrence_of(workshop, "Group B")
    a = enrol(group_a.cohort, countries=2, prefix="a")
    b = enrol(group_b.cohort, countries=1, prefix="b")
    run_a, run_b = poll_services.open_poll(poll, group_a), poll_services.open_poll(poll, group_b)
    budget, skills = poll.options.get(text="Budget"), poll.options.get(text="Skills")
    for participant in a[:3]:
        poll_services.cast_vote(run_a, participant, [budget.pk])
    poll_services.cast_vote(run_a, a[3], [skills.pk])
    for participant in b:
        poll_services.cast_vote(run_b, participant, [skills.pk])
    page = facilitator_client.get(reverse("live:poll_compare", args=[poll.pk])).content.decode()
    table = page[page.index('id="comparison"') :]
    assert table.index("Group A") < table.index("Group B")
    assert "4 voters" in table and "2 voters" in table
    budget_row = table[table.index("Budget") : table.index("Skills")]
    assert re.findall(r"<strong>(\d+)</strong></span><span>(\d+)%", budget_row) == [("3", "75"), ("0", "0")]
    skills_row = table[table.index("Skills") : table.index("Laws")]
    assert re.findall(r"<strong>(\d+)</strong></span><span>(\d+)%", skills_row) == [("1", "25"), ("2", "100")]


def test_poll_comparison_is_for_facilitators_of_the_workshop(client, poll, group):
    client.force_login(group[0].user)
    assert client.get(reverse("live:poll_compare", args=[poll.pk])).status_code == 404


@pytest.mark.parametrize("countries", [2, 20])
def test_polls_page_runs_constant_queries(facilitator_client, occurrence, django_assert_max_num_queries, countries):
    group = enrol(occurrence.cohort, countries=countries)
    for index in range(3):
        poll = make_poll(occurrence.session, question=f"Question {index}?")
        run = poll_services.open_poll(poll, occurrence)
        for participant in group:
            poll_services.cast_vote(run, participant, [poll.options.first().pk])
    with django_assert_max_num_queries(13):
        assert facilitator_client.get(reverse("live:polls", args=[occurrence.pk])).status_code == 200
    with django_assert_max_num_queries(10):
        assert (
            facilitator_client.get(reverse("live:polls_live", args=[occurrence.pk]), HTTP_HX_REQUEST="true").status_code
            == 200
        )


def test_demo_has_the_session_five_poll_with_votes_of_both_groups(demo, client):
    poll = Poll.objects.get(question=OBSTACLES_QUESTION)
    assert poll.session.number == 5 and poll.agenda_item.title.startswith("Poll on Obstacles to Change")
    assert poll.is_multiple and poll.max_choices == 3
    assert list(poll.options.values_list("text", flat=True)) == OBSTACLES
    runs = list(poll.runs.select_related("occurrence__cohort").order_by("occurrence__cohort__name"))
    assert [run.occurrence.cohort.name for run in runs] == ["Group A", "Group B"]
    for run in runs:
        assert not run.is_open and run.results_visible
        assert 15 <= run.votes.count() <= 20
        assert all(vote.options.count() == 3 for vote in run.votes.all())
    client.force_login(demo.facilitators.get())
    page = client.get(reverse("live:poll_compare", args=[poll.pk])).content.decode()
    assert "Group A" in page and "Group B" in page and OBSTACLES[0] in page
    participant = Participant.objects.get(user__email="participant@demo.test")
    client.force_login(participant.user)
    mine = runs[0]
    page = client.get(reverse("live:poll_vote", args=[mine.pk])).content.decode()
    assert "Your vote is recorded" in page and "Results" in page
