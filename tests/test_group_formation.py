"""Forming the groups is a pure function: property tests over many random workshops."""

from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nominations.formation import FormationError, Group, Person, form_groups, mix_cost

OFFSETS = [-360, -300, -240, 0, 60]
GENDERS = ["woman", "man", "other", ""]


@st.composite
def workshops(draw, *, slack=True):
    """Countries of 1–4 people with a zone and genders, and 1–4 groups with capacities."""
    n_countries = draw(st.integers(min_value=0, max_value=24))
    people = []
    for c in range(n_countries):
        size = draw(st.integers(min_value=1, max_value=4))
        offset = draw(st.sampled_from(OFFSETS))
        for i in range(size):
            people.append(
                Person(key=f"C{c}-{i}", country=f"C{c}", gender=draw(st.sampled_from(GENDERS)), utc_offset=offset)
            )
    n_groups = draw(st.integers(min_value=1, max_value=4))
    if slack:
        # Enough room that a greedy placement can always succeed: every group has room for the largest country.
        biggest = max(Counter(p.country for p in people).values(), default=1)
        per_group = -(-len(people) // n_groups) + biggest
        capacities = [per_group + draw(st.integers(min_value=0, max_value=5)) for _ in range(n_groups)]
    else:
        capacities = [draw(st.integers(min_value=0, max_value=30)) for _ in range(n_groups)]
    groups = [Group(key=f"G{g}", capacity=cap) for g, cap in enumerate(capacities)]
    return people, groups


def _country_of(people):
    return {p.key: p.country for p in people}


@settings(max_examples=150, deadline=None)
@given(workshops(slack=False), st.integers(min_value=0, max_value=10**6))
def test_countries_are_never_split_and_capacities_are_held(workshop, seed):
    people, groups = workshop
    try:
        result = form_groups(people, groups, seed=seed)
    except FormationError:
        return  # no placement without splitting a country or exceeding a capacity: said, not forced
    country_of = _country_of(people)
    placed = [key for keys in result.values() for key in keys]
    assert sorted(placed) == sorted(p.key for p in people)  # everyone once
    groups_of_country = {}
    for group_key, keys in result.items():
        for key in keys:
            groups_of_country.setdefault(country_of[key], set()).add(group_key)
    assert all(len(found) == 1 for found in groups_of_country.values())
    capacity = {g.key: g.capacity for g in groups}
    assert all(len(keys) <= capacity[key] for key, keys in result.items())


@settings(max_examples=150, deadline=None)
@given(workshops(), st.integers(min_value=0, max_value=10**6))
def test_with_room_for_the_largest_country_everyone_is_placed(workshop, seed):
    people, groups = workshop
    result = form_groups(people, groups, seed=seed)
    assert sum(len(keys) for keys in result.values()) == len(people)


@settings(max_examples=100, deadline=None)
@given(workshops(), st.integers(min_value=0, max_value=10**6))
def test_the_same_seed_gives_the_same_groups(workshop, seed):
    people, groups = workshop
    assert form_groups(people, groups, seed=seed) == form_groups(list(reversed(people)), groups, seed=seed)


@settings(max_examples=100, deadline=None)
@given(workshops(), st.integers(min_value=0, max_value=10**6))
def test_groups_differ_in_number_by_at_most_the_largest_country(workshop, seed):
    people, groups = workshop
    if len({g.capacity for g in groups}) != 1:
        groups = [Group(key=g.key, capacity=max(g.capacity for g in groups)) for g in groups]
    result = form_groups(people, groups, seed=seed)
    sizes = [len(keys) for keys in result.values()]
    biggest = max(Counter(p.country for p in people).values(), default=0)
    assert max(sizes) - min(sizes) <= biggest


def _caribbean():
    """Twenty countries of two, half of them at UTC−4, a quarter at UTC−5, a quarter at UTC−6."""
    offsets = [-240] * 10 + [-300] * 5 + [-360] * 5
    people = []
    for c, offset in enumerate(offsets):
        people.append(Person(key=f"C{c}-w", country=f"C{c:02d}", gender="woman", utc_offset=offset))
        people.append(Person(key=f"C{c}-m", country=f"C{c:02d}", gender="man" if c % 3 else "woman", utc_offset=offset))
    return people


def test_twenty_countries_of_two_make_two_groups_of_ten_countries_with_mixed_zones():
    people = _caribbean()
    result = form_groups(people, [Group("A", 20), Group("B", 20)], seed=7)
    assert [len(keys) for keys in result.values()] == [20, 20]
    offset = {p.key: p.utc_offset for p in people}
    for keys in result.values():
        zones = Counter(offset[key] for key in keys)
        assert zones[-360] <= 6 and zones[-300] <= 6  # neither group is all UTC−6 or UTC−5


def test_the_mix_is_no_worse_than_the_first_greedy_placement():
    people = _caribbean()
    groups = [Group("A", 20), Group("B", 20)]
    improved = form_groups(people, groups, seed=3)
    unimproved = form_groups(people, groups, seed=3, max_rounds=0)
    by_key = {p.key: p for p in people}

    def cost(result):
        return mix_cost([[by_key[k] for k in keys] for keys in result.values()], people)

    assert cost(improved) <= cost(unimproved)


def test_a_country_larger_than_every_group_is_refused_with_its_name():
    people = [Person(key=i, country="JM") for i in range(3)]
    with pytest.raises(FormationError, match="JM"):
        form_groups(people, [Group("A", 2), Group("B", 2)], seed=1)


def test_no_people_gives_empty_groups_and_no_groups_is_refused():
    assert form_groups([], [Group("A", 5)], seed=1) == {"A": []}
    with pytest.raises(FormationError):
        form_groups([Person(key=1, country="JM")], [], seed=1)


@settings(max_examples=80, deadline=None)
@given(workshops(), st.integers(min_value=0, max_value=10**6))
def test_improving_the_mix_never_makes_it_worse_nor_changes_the_group_sizes(workshop, seed):
    people, groups = workshop
    by_key = {p.key: p for p in people}
    improved = form_groups(people, groups, seed=seed)
    greedy = form_groups(people, groups, seed=seed, max_rounds=0)

    def cost(result):
        return mix_cost([[by_key[k] for k in keys] for keys in result.values()], people)

    assert cost(improved) <= cost(greedy) + 1e-9
    assert [len(v) for v in improved.values()] == [len(v) for v in greedy.values()]
