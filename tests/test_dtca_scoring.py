"""How answers become scores: pure functions, no database."""

import statistics
from types import SimpleNamespace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assessments import scoring


def make_dimensions(*sizes):
    dimensions, pk = [], 0
    for number, size in enumerate(sizes, start=1):
        statements = []
        for _ in range(size):
            pk += 1
            statements.append(SimpleNamespace(pk=pk))
        dimensions.append(SimpleNamespace(pk=number, number=number, name=f"D{number}", statement_list=statements))
    return dimensions


def test_dimension_score_is_the_mean_of_scored_statements_and_dont_know_is_excluded_and_counted():
    dimensions = make_dimensions(4)
    ratings = {1: (4, False), 2: (None, True), 3: (2, False), 4: (None, True)}
    [score] = scoring.score_dimensions(dimensions, ratings)
    assert score.mean == 3.0  # (4 + 2) / 2, not (4 + 2 + 0 + 0) / 4
    assert score.scored == 2
    assert score.dont_know == score.evidence_gaps == 2
    assert score.dont_know_share == 0.5
    assert score.unanswered == 0


def test_a_dimension_answered_only_dont_know_has_no_score():
    [score] = scoring.score_dimensions(make_dimensions(2), {1: (None, True), 2: (None, True)})
    assert score.mean is None
    assert score.dont_know == 2


def test_unanswered_statements_are_neither_scored_nor_gaps():
    [score] = scoring.score_dimensions(make_dimensions(3), {1: (5, False)})
    assert (score.mean, score.scored, score.dont_know, score.unanswered) == (5.0, 1, 0, 2)


def test_team_mean_averages_members_dimension_scores_and_skips_members_without_a_score():
    dimensions = make_dimensions(2, 2)
    first = scoring.score_dimensions(dimensions, {1: (2, False), 2: (4, False), 3: (None, True), 4: (None, True)})
    second = scoring.score_dimensions(dimensions, {1: (5, False), 2: (5, False), 3: (1, False), 4: (2, False)})
    mean = scoring.mean_profile(dimensions, [first, second])
    assert mean[0].mean == 4.0  # (3 + 5) / 2
    assert mean[1].mean == 1.5  # only the second member scored it
    assert mean[1].dont_know == 2


def test_group_stats_give_mean_range_population_deviation_and_dont_know_share():
    dimensions = make_dimensions(2)
    countries = [
        scoring.score_dimensions(dimensions, {1: (1, False), 2: (1, False)}),
        scoring.score_dimensions(dimensions, {1: (3, False), 2: (None, True)}),
        scoring.score_dimensions(dimensions, {1: (5, False), 2: (5, False)}),
    ]
    [stats] = scoring.dimension_stats(dimensions, countries)
    assert stats.mean == 3.0
    assert (stats.minimum, stats.maximum, stats.spread) == (1.0, 5.0, 4.0)
    assert stats.stdev == pytest.approx(statistics.pstdev([1, 3, 5]))
    assert stats.dont_know_share == pytest.approx(1 / 6)
    assert stats.countries == 3


def test_one_country_has_no_deviation_and_cannot_show_agreement():
    dimensions = make_dimensions(1, 1)
    stats = scoring.dimension_stats(dimensions, [scoring.score_dimensions(dimensions, {1: (3, False), 2: (4, False)})])
    assert all(s.stdev is None for s in stats)
    assert scoring.by_agreement(stats) == []
    assert scoring.most_difference(stats) is None


def test_most_agreement_and_most_difference_break_ties_by_questionnaire_order():
    dimensions = make_dimensions(1, 1, 1)
    countries = [
        scoring.score_dimensions(dimensions, {1: (2, False), 2: (1, False), 3: (3, False)}),
        scoring.score_dimensions(dimensions, {1: (2, False), 2: (5, False), 3: (3, False)}),
    ]
    stats = scoring.dimension_stats(dimensions, countries)
    ordered = scoring.by_agreement(stats)
    assert [s.dimension.name for s in ordered] == ["D1", "D3", "D2"]  # D1 and D3 tie at 0: order decides
    assert scoring.most_difference(stats).dimension.name == "D2"


def test_rating_difference_ignores_dont_know():
    assert scoring.rating_difference([(2, False), (4, False), (None, True)]) == 2
    assert scoring.rating_difference([(2, False), (None, True)]) is None


@pytest.mark.parametrize(("value", "level"), [(None, None), (1, 0), (1.2, 0), (3, 4), (4.75, 8), (5, 8)])
def test_heat_level_steps_in_half_points(value, level):
    assert scoring.heat_level(value) == level


@given(st.lists(st.one_of(st.integers(min_value=1, max_value=5), st.just("dk")), min_size=1, max_size=12))
def test_a_score_is_always_the_plain_mean_of_the_numbers_given(values):
    dimensions = make_dimensions(len(values))
    ratings = {i + 1: ((None, True) if v == "dk" else (v, False)) for i, v in enumerate(values)}
    [score] = scoring.score_dimensions(dimensions, ratings)
    numbers = [v for v in values if v != "dk"]
    assert score.dont_know == values.count("dk")
    if numbers:
        assert score.mean == pytest.approx(sum(numbers) / len(numbers))
        assert 1 <= score.mean <= 5
    else:
        assert score.mean is None
