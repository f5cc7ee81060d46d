import pytest
from django.test import Client
from django.urls import reverse

from live import services as live_services
from live.models import Debate, DebateSide
from live.services import debates as debate_services

from .factories import UserFactory
from .factories_live import enrol, item_of, live_workshop, mark, occurrence_of

MOTION = "Organizations should encourage their people to make mistakes and take risks."


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
    return enrol(occurrence.cohort, countries=4, per_country=2) + enrol(
        occurrence.cohort, countries=1, per_country=1, prefix="solo"
    )  # nine people


@pytest.fixture
def debate(occurrence):
    return debate_services.start_debate(occurrence, item_of(occurrence, "debate"), motion=MOTION)


@pytest.fixture
def facilitator_client(facilitator):
    facilitator_client = Client()
    facilitator_client.force_login(facilitator)
    return facilitator_client


def sides(debate):
    return dict(DebateSide.objects.filter(debate=debate).values_list("participant_id", "side"))


def test_facilitator_sets_up_the_debate_with_the_agenda_motion(facilitator_client, occurrence):
    item = item_of(occurrence, "debate")
    url = reverse("live:debate_start", args=[occurrence.pk, item.pk])
    assert item.description in facilitator_client.get(url).content.decode()
    facilitator_client.post(url, {"text": MOTION})
    assert Debate.objects.get().motion == MOTION


def test_random_sides_are_balanced_and_take_only_those_present(facilitator_client, debate, group):
    mark(debate.occurrence, group[:8])
    mark(debate.occurrence, group[8:], "absent")
    response = facilitator_client.post(reverse("live:debate_draw", args=[debate.pk]), follow=True)
    assert "Sides drawn: 4 for, 4 against" in response.content.decode()
    assigned = sides(debate)
    assert set(assigned) == {p.pk for p in group[:8]}
    assert sorted(assigned.values()).count("for") == 4


def test_odd_groups_differ_by_one(debate, group):
    for_count, against_count = debate_services.draw_debate_sides(debate, seed=3)
    assert {for_count, against_count} == {4, 5}


def test_facilitator_assigns_sides_one_by_one(facilitator_client, debate, group):
    data = {f"p{p.pk}": "for" for p in group[:3]} | {f"p{p.pk}": "against" for p in group[3:5]}
    facilitator_client.post(reverse("live:debate_sides", args=[debate.pk]), data)
    assigned = sides(debate)
    assert [assigned.get(p.pk) for p in group[:6]] == ["for"] * 3 + ["against"] * 2 + [None]
    assert DebateSide.objects.filter(assigned_by="facilitator").count() == 5


def test_each_participant_sees_the_lists_and_their_own_side(client, debate, group):
    debate_services.set_debate_sides(debate, {group[0].pk: "against", group[1].pk: "for"})
    client.force_login(group[0].user)
    page = client.get(debate.get_absolute_url()).content.decode()
    assert MOTION in page
    assert "You argue <strong>against</strong> the motion" in page
    assert str(group[1].user) in page[page.index("For the motion") : page.index("Against the motion")]
    assert str(group[0].user) in page[page.index("Against the motion") :]
    session_page = client.get(debate.occurrence.get_absolute_url()).content.decode()
    assert "you argue against" in session_page


def test_participant_writes_a_closing_statement_while_statements_are_open(client, facilitator_client, debate, group):
    debate_services.set_debate_sides(debate, {group[0].pk: "for"})
    client.force_login(group[0].user)
    client.post(debate.get_absolute_url(), {"text": "Mistakes teach faster than plans."})
    assert DebateSide.objects.get().closing_statement == "Mistakes teach faster than plans."
    assert "Mistakes teach faster than plans." in facilitator_client.get(debate.get_absolute_url()).content.decode()
    facilitator_client.post(reverse("live:debate_statements", args=[debate.pk]), {"open": "0"})
    response = client.post(debate.get_absolute_url(), {"text": "Changed my mind"}, follow=True)
    assert "Closing statements are closed" in response.content.decode()
    assert DebateSide.objects.get().closing_statement == "Mistakes teach faster than plans."


def test_participant_without_a_side_cannot_write_a_statement(client, debate, group):
    client.force_login(group[0].user)
    response = client.post(debate.get_absolute_url(), {"text": "Me too"}, follow=True)
    assert "no side in this debate yet" in response.content.decode()
    assert not DebateSide.objects.exists()


def test_redrawing_is_refused_once_statements_are_written(debate, group):
    debate_services.draw_debate_sides(debate, seed=1)
    side = DebateSide.objects.first()
    debate_services.save_closing_statement(debate, side.participant, "Risk is the price of learning.")
    with pytest.raises(live_services.LiveError, match="statements have been written"):
        debate_services.draw_debate_sides(debate, seed=2)
    notes = debate_services.set_debate_sides(debate, {side.participant_id: ""})
    assert "keeps a side" in notes[0]
    assert DebateSide.objects.filter(pk=side.pk).exists()


def test_only_the_facilitator_assigns_sides(client, debate, group, workshop):
    client.force_login(group[0].user)
    assert client.post(reverse("live:debate_draw", args=[debate.pk])).status_code == 404
    assert client.post(reverse("live:debate_sides", args=[debate.pk]), {f"p{group[0].pk}": "for"}).status_code == 404
    other = enrol(occurrence_of(workshop, "Group B").cohort, countries=1, prefix="b")[0]
    client.force_login(other.user)
    assert client.get(debate.get_absolute_url()).status_code == 404
    assert not DebateSide.objects.exists()


@pytest.mark.parametrize("countries", [2, 20])
def test_debate_page_runs_constant_queries(
    client, facilitator_client, occurrence, django_assert_max_num_queries, countries
):
    members = enrol(occurrence.cohort, countries=countries, prefix="q")
    debate = debate_services.start_debate(occurrence, item_of(occurrence, "debate"), motion=MOTION)
    debate_services.draw_debate_sides(debate, seed=5)
    for side in DebateSide.objects.filter(debate=debate):
        debate_services.save_closing_statement(debate, side.participant, "Because learning needs risk.")
    with django_assert_max_num_queries(9):
        assert facilitator_client.get(debate.get_absolute_url()).status_code == 200
    client.force_login(members[0].user)
    with django_assert_max_num_queries(9):
        assert client.get(debate.get_absolute_url()).status_code == 200
