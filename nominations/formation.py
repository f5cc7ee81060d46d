"""Forming the groups: a pure function from accepted people and groups to a proposed assignment.

Nothing here reads or writes the database. The rules:

- a country's people stay together (a country is placed as one block);
- no group gets more people than its capacity;
- the groups are balanced in number (largest countries first, each to the group with the fewest people that
  still has room), then improved by swapping countries of the same size between groups when that makes the
  time zones and the gender mix of the groups more like the whole;
- the same input and seed give the same groups; another seed breaks ties differently.
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Person:
    key: object
    country: str
    gender: str = ""  # "woman", "man", "other" or "" (not given)
    utc_offset: int = 0  # minutes east of UTC at the workshop's time


@dataclass(frozen=True)
class Group:
    key: object
    capacity: int


class FormationError(ValueError):
    """The people cannot be placed without splitting a country or exceeding a capacity."""


@dataclass
class _Block:
    country: str
    people: list[Person]

    @property
    def size(self) -> int:
        return len(self.people)


def form_groups(people: list[Person], groups: list[Group], seed: int = 0, *, max_rounds: int = 50) -> dict:
    """``{group key: [person key, ...]}`` for every group (in the order given), every person placed once.

    Raises FormationError when there are people but no group, or when the countries cannot be packed into the
    capacities (the message says which country did not fit).
    """
    if not people:
        return {group.key: [] for group in groups}
    if not groups:
        raise FormationError(_("There is no group to place people in."))
    keys = [person.key for person in people]
    if len(set(keys)) != len(keys):
        raise FormationError(_("A person is listed twice."))
    rng = random.Random(seed)
    by_country: dict[str, list[Person]] = defaultdict(list)
    for person in sorted(people, key=lambda p: (p.country, str(p.key))):
        by_country[person.country].append(person)
    blocks = [_Block(country, members) for country, members in sorted(by_country.items())]
    rng.shuffle(blocks)
    # Largest first; the shuffle decides among countries of the same size.
    blocks.sort(key=lambda block: -block.size)

    placed: list[list[_Block]] = [[] for _ in groups]
    counts = [0] * len(groups)
    for block in blocks:
        fitting = [i for i, group in enumerate(groups) if counts[i] + block.size <= group.capacity]
        if not fitting:
            raise FormationError(
                _(
                    "%(country)s (%(n)s people) fits in no group: every group is too full. "
                    "Raise a group's capacity or accept fewer people."
                )
                % {"country": block.country, "n": block.size}
            )
        # Fewest people first, then the most room left, then the seeded order.
        order = {i: rng.random() for i in fitting}
        best = min(fitting, key=lambda i: (counts[i], -(groups[i].capacity - counts[i]), order[i]))
        placed[best].append(block)
        counts[best] += block.size

    _improve_mix(placed, people, rng, max_rounds)
    return {group.key: [p.key for block in placed[i] for p in block.people] for i, group in enumerate(groups)}


def mix_cost(assignment: list[list[Person]], everyone: list[Person]) -> float:
    """How far the groups' time zones and gender mix are from the whole's (0 when each group mirrors it)."""
    total = len(everyone) or 1
    zones = Counter(person.utc_offset for person in everyone)
    genders = Counter(person.gender for person in everyone)
    cost = 0.0
    for members in assignment:
        size = len(members)
        here_zones = Counter(person.utc_offset for person in members)
        here_genders = Counter(person.gender for person in members)
        for zone, count in zones.items():
            cost += (here_zones[zone] - size * count / total) ** 2
        for gender, count in genders.items():
            cost += (here_genders[gender] - size * count / total) ** 2
    return cost


def _improve_mix(placed: list[list[_Block]], everyone: list[Person], rng: random.Random, max_rounds: int) -> None:
    """Swap countries of the same size between groups while it brings the mix closer to the whole's.

    Same-size swaps keep every group's number of people, so capacities and number balance stay as they are.
    A swap changes two groups only, so only their share of ``mix_cost`` is computed again.
    """
    total = len(everyone) or 1
    zone_share = {zone: count / total for zone, count in Counter(p.utc_offset for p in everyone).items()}
    gender_share = {gender: count / total for gender, count in Counter(p.gender for p in everyone).items()}
    zones = [Counter(p.utc_offset for block in blocks for p in block.people) for blocks in placed]
    genders = [Counter(p.gender for block in blocks for p in block.people) for blocks in placed]
    sizes = [sum(block.size for block in blocks) for blocks in placed]
    signature = {
        id(block): tuple(sorted(Counter((p.utc_offset, p.gender) for p in block.people).items()))
        for blocks in placed
        for block in blocks
    }

    def group_cost(g: int) -> float:
        size = sizes[g]
        return sum((zones[g][z] - size * share) ** 2 for z, share in zone_share.items()) + sum(
            (genders[g][x] - size * share) ** 2 for x, share in gender_share.items()
        )

    def shift(block: _Block, source: int, target: int) -> None:
        for person in block.people:
            zones[source][person.utc_offset] -= 1
            genders[source][person.gender] -= 1
            zones[target][person.utc_offset] += 1
            genders[target][person.gender] += 1

    for _round in range(max_rounds):
        improved = False
        pairs = [
            (a, i, b, j)
            for a in range(len(placed))
            for b in range(a + 1, len(placed))
            for i in range(len(placed[a]))
            for j in range(len(placed[b]))
            if placed[a][i].size == placed[b][j].size
        ]
        rng.shuffle(pairs)
        for a, i, b, j in pairs:
            first, second = placed[a][i], placed[b][j]
            if signature[id(first)] == signature[id(second)]:
                continue  # the same mix of zones and genders: nothing would change
            before = group_cost(a) + group_cost(b)
            shift(first, a, b)
            shift(second, b, a)
            if group_cost(a) + group_cost(b) < before - 1e-9:
                placed[a][i], placed[b][j] = second, first
                improved = True
            else:
                shift(first, b, a)
                shift(second, a, b)
        if not improved:
            break
