"""Breakout-room draws as a pure function: people in, rooms out.

No database and no Django here, so the rules can be checked with property tests.
Room sizes are a hard rule (they differ by at most one). The country rule and
avoiding pairs who already met are minimised in that order: a draw never trades a
country conflict for fewer repeated pairs. Everything random comes from one
``random.Random(seed)``, so the same people and the same seed give the same draw.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

# Local search stops after this many passes without needing to: the groups are small
# (two or three dozen people) and a pass is a few thousand comparisons.
MAX_PASSES = 40


class CountryRule(StrEnum):
    MIX = "mix"
    APART = "apart"
    TOGETHER = "together"


class DrawError(ValueError):
    """A draw that cannot be made. The message is English (logs, tests); ``reason``, ``people`` and ``rooms`` let
    the services word it for the facilitator in their language, since this module stays free of Django."""

    def __init__(self, message: str, *, reason: str, people: int = 0, rooms: int = 0):
        super().__init__(message)
        self.reason, self.people, self.rooms = reason, people, rooms


@dataclass(frozen=True)
class DrawResult:
    rooms: tuple[tuple[int, ...], ...]
    # Pairs sharing a room who already shared one in an earlier draw.
    repeated_pairs: int
    # APART: same-country pairs sharing a room; TOGETHER: same-country pairs in different rooms.
    country_conflicts: int

    @property
    def sizes(self) -> list[int]:
        return [len(room) for room in self.rooms]


def room_count_for_size(people: int, room_size: int) -> int:
    """Rooms needed so that none holds more than ``room_size`` people."""
    if room_size < 1:
        raise DrawError("A room holds at least one person.", reason="room_size")
    return max(1, math.ceil(people / room_size))


def pair(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a < b else (b, a)


def draw_rooms(
    countries: Mapping[int, str],
    *,
    rooms: int,
    seed: int,
    rule: CountryRule | str = CountryRule.MIX,
    past_pairs: Iterable[tuple[int, int]] = (),
) -> DrawResult:
    """Split people (key → country code) into ``rooms`` balanced rooms.

    ``past_pairs`` are pairs of keys who met in earlier draws; the draw keeps as
    few of them together as it can find (best effort, not a proof of optimality).
    """
    rule = CountryRule(rule)
    people = sorted(countries)
    if rooms < 1:
        raise DrawError("A draw needs at least one room.", reason="no_room")
    if len(people) < rooms:
        raise DrawError(
            f"{len(people)} participant{'s' if len(people) != 1 else ''} cannot fill {rooms} rooms: "
            "choose fewer rooms or a larger room size.",
            reason="too_few_people",
            people=len(people),
            rooms=rooms,
        )
    rng = random.Random(seed)
    if rule is CountryRule.TOGETHER:
        assignment = _together_start(people, countries, rooms, rng)
    elif rule is CountryRule.APART:
        assignment = _apart_start(people, countries, rooms, rng)
    else:
        assignment = _mixed_start(people, rooms, rng)

    country_sign = {CountryRule.MIX: 0, CountryRule.APART: 1, CountryRule.TOGETHER: -1}[rule]
    # Heavier than every possible repeat count together, so no swap trades a country conflict for repeats.
    heavy = len(people) * len(people) + 1
    if country_sign:
        _improve(assignment, _weights(countries, country_sign * heavy, frozenset()), rng)
    past = frozenset(pair(a, b) for a, b in past_pairs if a != b and a in countries and b in countries)
    if past:
        _improve(assignment, _weights(countries, country_sign * heavy, past), rng)

    result_rooms = tuple(tuple(sorted(room)) for room in assignment)
    return DrawResult(
        rooms=result_rooms,
        repeated_pairs=count_repeated_pairs(result_rooms, past),
        country_conflicts=count_country_conflicts(result_rooms, countries, rule),
    )


def count_repeated_pairs(rooms: Iterable[Iterable[int]], past: Iterable[tuple[int, int]]) -> int:
    past = set(past)
    return sum(1 for room in rooms for a, b in _pairs_in(room) if pair(a, b) in past)


def count_country_conflicts(rooms, countries: Mapping[int, str], rule: CountryRule | str) -> int:
    rule = CountryRule(rule)
    together = sum(1 for room in rooms for a, b in _pairs_in(room) if countries[a] == countries[b])
    if rule is CountryRule.APART:
        return together
    if rule is CountryRule.TOGETHER:
        sizes = defaultdict(int)
        for room in rooms:
            for person in room:
                sizes[countries[person]] += 1
        return sum(n * (n - 1) // 2 for n in sizes.values()) - together
    return 0


def _pairs_in(room):
    members = list(room)
    for i, a in enumerate(members):
        for b in members[i + 1 :]:
            yield a, b


def _by_country(people, countries, rng) -> list[list[int]]:
    groups = defaultdict(list)
    for person in people:
        groups[countries[person]].append(person)
    units = [groups[code] for code in sorted(groups)]
    rng.shuffle(units)
    for unit in units:
        rng.shuffle(unit)
    return units


def _mixed_start(people, rooms, rng) -> list[list[int]]:
    shuffled = list(people)
    rng.shuffle(shuffled)
    assignment = [[] for _ in range(rooms)]
    for index, person in enumerate(shuffled):
        assignment[index % rooms].append(person)
    return assignment


def _apart_start(people, countries, rooms, rng) -> list[list[int]]:
    # Dealing country by country round the rooms puts any run of at most `rooms` people in
    # different rooms, so countries with no more people than rooms never share one; larger
    # countries spread as evenly as they can. Dealing keeps sizes within one of each other.
    sequence = [person for unit in _by_country(people, countries, rng) for person in unit]
    offset = rng.randrange(rooms)
    assignment = [[] for _ in range(rooms)]
    for index, person in enumerate(sequence):
        assignment[(offset + index) % rooms].append(person)
    return assignment


def _together_start(people, countries, rooms, rng) -> list[list[int]]:
    count = len(people)
    capacities = [count // rooms + (1 if index < count % rooms else 0) for index in range(rooms)]
    rng.shuffle(capacities)
    units = _by_country(people, countries, rng)
    units.sort(key=len, reverse=True)  # stable: equal sizes keep their shuffled order
    assignment = [[] for _ in range(rooms)]
    remaining = list(capacities)

    def roomiest(candidates):
        most = max(remaining[r] for r in candidates)
        return rng.choice([r for r in candidates if remaining[r] == most])

    for unit in units:
        fitting = [r for r in range(rooms) if remaining[r] >= len(unit)]
        if fitting:
            target = roomiest(fitting)
            assignment[target].extend(unit)
            remaining[target] -= len(unit)
            continue
        # The balance rule wins: a country that fits nowhere whole is split over the roomiest rooms.
        left = list(unit)
        while left:
            target = roomiest([r for r in range(rooms) if remaining[r] > 0])
            take = min(remaining[target], len(left))
            assignment[target].extend(left[:take])
            remaining[target] -= take
            left = left[take:]
    return assignment


def _weights(countries, country_weight: int, past: frozenset):
    def weight(a: int, b: int) -> int:
        value = country_weight if countries[a] == countries[b] else 0
        if past and pair(a, b) in past:
            value += 1
        return value

    return weight


def _improve(assignment: list[list[int]], weight, rng) -> None:
    """Swap people between rooms while a swap lowers the summed weight of pairs sharing a room."""
    where = {person: index for index, room in enumerate(assignment) for person in room}
    people = sorted(where)
    for _ in range(MAX_PASSES):
        candidates = [(a, b) for i, a in enumerate(people) for b in people[i + 1 :] if where[a] != where[b]]
        rng.shuffle(candidates)
        improved = False
        for a, b in candidates:
            room_a, room_b = where[a], where[b]
            if room_a == room_b:
                continue
            others_a = [x for x in assignment[room_a] if x != a]
            others_b = [x for x in assignment[room_b] if x != b]
            delta = (
                sum(weight(a, x) for x in others_b)
                + sum(weight(b, x) for x in others_a)
                - sum(weight(a, x) for x in others_a)
                - sum(weight(b, x) for x in others_b)
            )
            if delta < 0:
                assignment[room_a] = [*others_a, b]
                assignment[room_b] = [*others_b, a]
                where[a], where[b] = room_b, room_a
                improved = True
        if not improved:
            return
