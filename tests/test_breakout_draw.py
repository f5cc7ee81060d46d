import csv
import io
from collections import Counter

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from attendance.models import Attendance
from live import services as live_services
from live.breakout import (
    CountryRule,
    DrawError,
    count_country_conflicts,
    count_repeated_pairs,
    draw_rooms,
    pair,
    room_count_for_size,
)
from live.models import BreakoutDraw
from live.selectors import breakout as breakout_selectors
from live.services import breakout as breakout_services
from sessions_app.models import AgendaItem

from .factories import UserFactory
from .factories_live import enrol, item_of, live_workshop, mark, occurrence_of

# ---------------------------------------------------------------- the pure draw


@st.composite
def groups(draw, max_countries=14):
    """People keyed 0..n-1 with a country each: mostly two per country, as in the workshop, sometimes one or three."""
    sizes = draw(st.lists(st.sampled_from([1, 2, 2, 2, 3]), min_size=1, max_size=max_countries))
    countries = {}
    for country, size in enumerate(sizes):
        for _ in range(size):
            countries[len(countries)] = f"C{country}"
    rooms = draw(st.integers(min_value=1, max_value=len(countries)))
    return countries, rooms


def pairs_in(rooms):
    return {pair(a, b) for room in rooms for i, a in enumerate(room) for b in room[i + 1 :]}


@settings(max_examples=150, deadline=None)
@given(groups(), st.integers(min_value=0, max_value=2**31 - 1), st.sampled_from(list(CountryRule)))
def test_draw_is_balanced_and_places_everyone_once(group, seed, rule):
    countries, rooms = group
    result = draw_rooms(countries, rooms=rooms, seed=seed, rule=rule)
    sizes = result.sizes
    assert len(sizes) == rooms
    assert max(sizes) - min(sizes) <= 1
    placed = [person for room in result.rooms for person in room]
    assert sorted(placed) == sorted(countries)


@settings(max_examples=150, deadline=None)
@given(groups(), st.integers(min_value=0, max_value=2**31 - 1))
def test_keeping_countries_apart_never_puts_a_country_pair_in_one_room_when_rooms_allow(group, seed):
    countries, rooms = group
    result = draw_rooms(countries, rooms=rooms, seed=seed, rule=CountryRule.APART)
    largest_country = max(Counter(countries.values()).values())
    for room in result.rooms:
        per_country = Counter(countries[person] for person in room)
        if largest_country <= rooms:
            assert max(per_country.values()) == 1, "two people of one country share a room"
        else:  # more people than rooms: spread as evenly as the rooms allow
            assert max(per_country.values()) <= -(-largest_country // rooms)
    if largest_country <= rooms:
        assert result.country_conflicts == 0


@settings(max_examples=100, deadline=None)
@given(
    st.integers(min_value=1, max_value=12),
    st.integers(min_value=1, max_value=6),
    st.integers(min_value=0, max_value=2**31 - 1),
)
def test_keeping_countries_together_keeps_pairs_whole_when_room_sizes_are_even(countries_count, rooms, seed):
    rooms = min(rooms, countries_count)
    people = {i: f"C{i // 2}" for i in range(countries_count * 2)}
    result = draw_rooms(people, rooms=rooms, seed=seed, rule=CountryRule.TOGETHER)
    assert max(result.sizes) - min(result.sizes) <= 1
    if all(size % 2 == 0 for size in result.sizes):
        for room in result.rooms:
            for person in room:
                partner = person ^ 1
                assert partner in room
        assert result.country_conflicts == 0


@settings(max_examples=100, deadline=None)
@given(groups(), st.integers(min_value=0, max_value=2**31 - 1), st.sampled_from(list(CountryRule)))
def test_same_people_and_seed_give_the_same_draw_whatever_their_order(group, seed, rule):
    countries, rooms = group
    reversed_input = dict(reversed(list(countries.items())))
    past = [(0, 1), (1, 2)] if len(countries) > 2 else []
    first = draw_rooms(countries, rooms=rooms, seed=seed, rule=rule, past_pairs=past)
    again = draw_rooms(reversed_input, rooms=rooms, seed=seed, rule=rule, past_pairs=list(reversed(past)))
    assert first == again


@settings(max_examples=100, deadline=None)
@given(
    groups(),
    st.integers(min_value=0, max_value=2**31 - 1),
    st.integers(min_value=0, max_value=2**31 - 1),
    st.sampled_from(list(CountryRule)),
)
def test_avoiding_repeats_is_never_worse_than_the_plain_draw(group, earlier_seed, seed, rule):
    countries, rooms = group
    earlier = draw_rooms(countries, rooms=max(1, len(countries) // 4), seed=earlier_seed)
    past = pairs_in(earlier.rooms)
    plain = draw_rooms(countries, rooms=rooms, seed=seed, rule=rule)
    avoiding = draw_rooms(countries, rooms=rooms, seed=seed, rule=rule, past_pairs=past)
    plain_score = (plain.country_conflicts, count_repeated_pairs(plain.rooms, past))
    avoiding_score = (avoiding.country_conflicts, avoiding.repeated_pairs)
    # The country rule comes first; within it, fewer (or as few) pairs who already met.
    assert avoiding_score <= plain_score
    assert max(avoiding.sizes) - min(avoiding.sizes) <= 1


def test_avoiding_repeats_finds_a_draw_where_nobody_meets_again():
    # 20 people met in 5 rooms of 4; 4 new rooms of 5 can each take one person from every old room.
    countries = {i: f"C{i // 2}" for i in range(20)}
    earlier = draw_rooms(countries, rooms=5, seed=11, rule=CountryRule.APART)
    past = pairs_in(earlier.rooms)
    plain = draw_rooms(countries, rooms=4, seed=12, rule=CountryRule.APART)
    assert count_repeated_pairs(plain.rooms, past) > 0
    avoiding = draw_rooms(countries, rooms=4, seed=12, rule=CountryRule.APART, past_pairs=past)
    assert avoiding.repeated_pairs == 0
    assert avoiding.country_conflicts == count_country_conflicts(avoiding.rooms, countries, "apart") == 0


def test_different_seeds_give_different_draws():
    countries = {i: f"C{i // 2}" for i in range(20)}
    draws = {draw_rooms(countries, rooms=4, seed=seed).rooms for seed in range(10)}
    assert len(draws) > 1


def test_fewer_people_than_rooms_is_refused_with_a_message():
    with pytest.raises(DrawError, match="3 participants cannot fill 4 rooms"):
        draw_rooms({1: "JM", 2: "JM", 3: "TT"}, rooms=4, seed=1)
    with pytest.raises(DrawError):
        draw_rooms({1: "JM"}, rooms=0, seed=1)


def test_room_size_gives_enough_rooms_that_none_is_larger():
    assert room_count_for_size(20, 5) == 4
    assert room_count_for_size(22, 5) == 5
    assert room_count_for_size(3, 5) == 1


# ---------------------------------------------------------------- draws in the portal


@pytest.fixture
def facilitator(db):
    return UserFactory(email="felix@example.org")


@pytest.fixture
def workshop(facilitator):
    return live_workshop(sessions=2, facilitator=facilitator)


@pytest.fixture
def occurrence(workshop):
    return occurrence_of(workshop)


@pytest.fixture
def group(occurrence):
    return enrol(occurrence.cohort, countries=10)


@pytest.fixture
def facilitator_client(facilitator):
    # A client of its own, so a test can act as a participant with `client` at the same time.
    facilitator_client = Client()
    facilitator_client.force_login(facilitator)
    return facilitator_client


def breakout_url(occurrence):
    return reverse("live:breakout", args=[occurrence.pk, item_of(occurrence, AgendaItem.Kind.BREAKOUT).pk])


def test_facilitator_draws_rooms_from_the_agenda_default_and_sees_them(facilitator_client, occurrence, group):
    page = facilitator_client.get(breakout_url(occurrence)).content.decode()
    assert 'name="rooms" value="3"' in page  # the agenda plans 3 rooms
    assert '<option value="apart" selected>' in page  # random teams: countries spread over the rooms
    response = facilitator_client.post(
        breakout_url(occurrence), {"split": "rooms", "rooms": 3, "country_rule": "apart", "avoid_repeat_pairs": "on"}
    )
    assert response.status_code == 302
    draw = BreakoutDraw.objects.get()
    assert draw.status == "draft" and draw.room_count == 3 and draw.country_rule == "apart"
    sizes = Counter(draw.assignments.values_list("room_number", flat=True))
    assert sorted(sizes.values()) == [6, 7, 7]
    page = facilitator_client.get(breakout_url(occurrence)).content.decode()
    assert "Breakout session 1" in page and "Breakout session 3" in page
    assert f"seed {draw.seed}" in page


def test_room_size_option_sets_the_number_of_rooms(facilitator_client, occurrence, group):
    facilitator_client.post(breakout_url(occurrence), {"split": "size", "room_size": 6, "country_rule": "mix"})
    draw = BreakoutDraw.objects.get()
    assert draw.room_count == 4 and draw.room_size == 6  # 20 people, at most 6 per room


def test_a_draw_with_fewer_participants_than_rooms_is_refused_with_a_message(facilitator_client, occurrence):
    enrol(occurrence.cohort, countries=2)  # four people
    response = facilitator_client.post(breakout_url(occurrence), {"split": "rooms", "rooms": 5, "country_rule": "mix"})
    assert "4 participants cannot fill 5 rooms" in response.content.decode()
    assert not BreakoutDraw.objects.exists()


def test_only_people_marked_present_or_partly_are_drawn_once_attendance_is_taken(occurrence, group, facilitator):
    absent = group[:5]
    late = group[5:7]
    mark(occurrence, absent, Attendance.Status.ABSENT)
    mark(occurrence, late, Attendance.Status.PARTLY)
    mark(occurrence, group[7:])
    draw = breakout_services.draw_breakout(
        occurrence, item_of(occurrence, "breakout"), by=facilitator, rooms=3, country_rule="mix"
    )
    drawn = set(draw.assignments.values_list("participant_id", flat=True))
    assert drawn == {p.pk for p in group[5:]}


def test_same_seed_redraws_the_same_rooms(facilitator_client, occurrence, group):
    data = {"split": "rooms", "rooms": 4, "country_rule": "apart", "seed": 4242}
    facilitator_client.post(breakout_url(occurrence), data)
    first = sorted(BreakoutDraw.objects.get().assignments.values_list("participant_id", "room_number"))
    facilitator_client.post(breakout_url(occurrence), data)  # redraw replaces the draft
    draw = BreakoutDraw.objects.get()
    assert draw.seed == 4242
    assert sorted(draw.assignments.values_list("participant_id", "room_number")) == first


def test_published_draw_is_kept_and_cannot_be_changed(facilitator_client, occurrence, group):
    url = breakout_url(occurrence)
    facilitator_client.post(url, {"split": "rooms", "rooms": 3, "country_rule": "mix"})
    draw = BreakoutDraw.objects.get()
    facilitator_client.post(reverse("live:draw_publish", args=[draw.pk]))
    draw.refresh_from_db()
    assert draw.is_published and draw.published_at
    rooms = sorted(draw.assignments.values_list("participant_id", "room_number"))

    response = facilitator_client.post(reverse("live:draw_discard", args=[draw.pk]), follow=True)
    assert "kept for the record" in response.content.decode()
    with pytest.raises(live_services.LiveError):
        breakout_services.publish_draw(draw)
    # A new draw for the same item is a new draft; the published one stays as it was.
    facilitator_client.post(url, {"split": "rooms", "rooms": 4, "country_rule": "mix"})
    assert BreakoutDraw.objects.count() == 2
    assert sorted(draw.assignments.values_list("participant_id", "room_number")) == rooms


def test_new_draw_avoids_pairs_who_met_in_earlier_published_draws_of_the_group(workshop, group, facilitator):
    first, second = occurrence_of(workshop, number=1), occurrence_of(workshop, number=2)
    earlier = breakout_services.draw_breakout(
        first, item_of(first, "breakout"), by=facilitator, rooms=5, country_rule="apart", seed=7
    )
    breakout_services.publish_draw(earlier)
    met = breakout_selectors.past_pairs(second.cohort_id)
    assert len(met) == 5 * 6  # five rooms of four

    def draw_pairs(avoid):
        draw = breakout_services.draw_breakout(
            second,
            item_of(second, "breakout"),
            by=facilitator,
            rooms=4,
            country_rule="apart",
            seed=12,
            avoid_repeat_pairs=avoid,
        )
        rooms = {}
        for participant_id, room in draw.assignments.values_list("participant_id", "room_number"):
            rooms.setdefault(room, []).append(participant_id)
        return draw, {pair(a, b) for members in rooms.values() for i, a in enumerate(members) for b in members[i + 1 :]}

    plain, plain_pairs = draw_pairs(avoid=False)
    assert plain_pairs & met  # left to chance, people meet again
    avoiding, avoiding_pairs = draw_pairs(avoid=True)
    assert not avoiding_pairs & met
    assert avoiding.repeated_pairs == 0


def test_participant_sees_own_room_and_roommates_only_once_published(client, occurrence, group, facilitator):
    draw = breakout_services.draw_breakout(occurrence, item_of(occurrence, "breakout"), by=facilitator, rooms=4)
    me = group[0]
    client.force_login(me.user)
    assert "Your breakout room" not in client.get(occurrence.get_absolute_url()).content.decode()
    breakout_services.publish_draw(draw)
    page = client.get(occurrence.get_absolute_url()).content.decode()
    mine = draw.assignments.get(participant=me)
    roommates = draw.assignments.filter(room_number=mine.room_number).exclude(participant=me)
    others = draw.assignments.exclude(room_number=mine.room_number)
    assert "Your breakout room" in page and mine.room_name in page
    for roommate in roommates.select_related("participant__user"):
        assert str(roommate.participant.user) in page
    for other in others.select_related("participant__user"):
        assert f"{other.participant.user} <span" not in page


def test_webex_csv_lists_each_email_with_its_room(facilitator_client, occurrence, group, facilitator):
    draw = breakout_services.draw_breakout(occurrence, item_of(occurrence, "breakout"), by=facilitator, rooms=3)
    response = facilitator_client.get(reverse("live:draw_csv", args=[draw.pk]))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["Email", "Breakout session"]
    assert len(rows) == 21
    by_email = dict(rows[1:])
    for assignment in draw.assignments.select_related("participant__user"):
        assert by_email[assignment.participant.user.email] == f"Breakout session {assignment.room_number}"
    page = facilitator_client.get(breakout_url(occurrence)).content.decode()
    assert f"{group[0].user.email},Breakout session" in page  # the copyable text


def test_only_facilitators_of_the_workshop_draw_rooms(client, occurrence, group):
    url = breakout_url(occurrence)
    client.force_login(group[0].user)
    assert client.get(url).status_code == 404
    assert client.post(url, {"split": "rooms", "rooms": 2, "country_rule": "mix"}).status_code == 404
    other_facilitator = UserFactory(email="other-facilitator@example.org")
    live_workshop(facilitator=other_facilitator)
    client.force_login(other_facilitator)
    assert client.get(url).status_code == 404
    assert not BreakoutDraw.objects.exists()


def test_breakout_page_runs_constant_queries(facilitator_client, django_assert_max_num_queries, workshop, facilitator):
    facilitator_client.get(reverse("sessions:facilitate"))  # a session's first page also looks up who is signed in
    counts = []
    for size, group_name in ((3, "Group A"), (15, "Group B")):
        occurrence = occurrence_of(workshop, group_name)
        enrol(occurrence.cohort, countries=size, prefix=group_name[-1])
        draw = breakout_services.draw_breakout(occurrence, item_of(occurrence, "breakout"), by=facilitator, rooms=2)
        breakout_services.publish_draw(draw)
        breakout_services.draw_breakout(occurrence, item_of(occurrence, "breakout"), by=facilitator, rooms=3)
        with django_assert_max_num_queries(16) as captured:
            assert facilitator_client.get(breakout_url(occurrence)).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]


@pytest.mark.parametrize(("formation", "rule"), [("country", "together"), ("facilitator", "mix"), ("", "mix")])
def test_draw_form_follows_the_agendas_team_formation(facilitator_client, occurrence, formation, rule):
    AgendaItem.objects.filter(session=occurrence.session, kind=AgendaItem.Kind.BREAKOUT).update(
        team_formation=formation
    )
    page = facilitator_client.get(breakout_url(occurrence)).content.decode()
    assert f'<option value="{rule}" selected>' in page
