"""How answers become scores. Pure functions: no database, easy to test.

A dimension's score is the mean of its statements that have a score; "don't
know" answers are left out of that mean and counted separately as evidence
gaps. Nothing here ranks countries: comparisons describe spread, not order.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from .models import SCALE_MAX, SCALE_MIN

# (score or None, don't know) for one statement.
Rating = tuple[int | None, bool]

# A difference of this many points between two members of a country team is worth talking about.
NOTABLE_DIFFERENCE = 2


@dataclass(frozen=True)
class DimensionScore:
    dimension: object
    mean: float | None
    scored: int
    dont_know: int
    unanswered: int = 0

    @property
    def answered(self) -> int:
        return self.scored + self.dont_know

    @property
    def evidence_gaps(self) -> int:
        return self.dont_know

    @property
    def dont_know_share(self) -> float | None:
        return self.dont_know / self.answered if self.answered else None


@dataclass(frozen=True)
class DimensionStats:
    """One dimension across the countries of a group."""

    dimension: object
    mean: float | None
    minimum: float | None
    maximum: float | None
    stdev: float | None
    countries: int
    dont_know_share: float | None

    @property
    def spread(self) -> float | None:
        return None if self.minimum is None else self.maximum - self.minimum


def score_dimensions(dimensions: Sequence, ratings: Mapping[int, Rating]) -> list[DimensionScore]:
    """Scores per dimension from one respondent's ratings keyed by statement id.

    Each dimension must carry ``statement_list`` (its statements in order).
    """
    scores = []
    for dimension in dimensions:
        values, dont_know, unanswered = [], 0, 0
        for statement in dimension.statement_list:
            score, is_dont_know = ratings.get(statement.pk, (None, False))
            if score is not None:
                values.append(score)
            elif is_dont_know:
                dont_know += 1
            else:
                unanswered += 1
        mean = statistics.fmean(values) if values else None
        scores.append(DimensionScore(dimension, mean, len(values), dont_know, unanswered))
    return scores


def mean_profile(dimensions: Sequence, profiles: Iterable[Sequence[DimensionScore]]) -> list[DimensionScore]:
    """The mean of several respondents' dimension scores (a team's, or a group's countries').

    Each respondent counts once per dimension; respondents without a score for a
    dimension (all "don't know") are left out of that dimension's mean.
    """
    profiles = list(profiles)
    result = []
    for index, dimension in enumerate(dimensions):
        column = [profile[index] for profile in profiles]
        means = [score.mean for score in column if score.mean is not None]
        result.append(
            DimensionScore(
                dimension,
                statistics.fmean(means) if means else None,
                sum(score.scored for score in column),
                sum(score.dont_know for score in column),
                sum(score.unanswered for score in column),
            )
        )
    return result


def dimension_stats(dimensions: Sequence, profiles: Iterable[Sequence[DimensionScore]]) -> list[DimensionStats]:
    """Mean, range and standard deviation of each dimension across countries, and the "don't know" share."""
    profiles = list(profiles)
    stats = []
    for index, dimension in enumerate(dimensions):
        column = [profile[index] for profile in profiles]
        means = [score.mean for score in column if score.mean is not None]
        answered = sum(score.answered for score in column)
        stats.append(
            DimensionStats(
                dimension=dimension,
                mean=statistics.fmean(means) if means else None,
                minimum=min(means) if means else None,
                maximum=max(means) if means else None,
                # The countries of a group are the whole population being described, not a sample.
                stdev=statistics.pstdev(means) if len(means) >= 2 else None,
                countries=len(means),
                dont_know_share=(sum(score.dont_know for score in column) / answered) if answered else None,
            )
        )
    return stats


def by_agreement(stats: Sequence[DimensionStats]) -> list[DimensionStats]:
    """Dimensions that can be compared, from most agreement (smallest deviation) to most difference."""
    comparable = [(s, position) for position, s in enumerate(stats) if s.stdev is not None]
    return [s for s, _ in sorted(comparable, key=lambda pair: (pair[0].stdev, pair[1]))]


def most_difference(stats: Sequence[DimensionStats]) -> DimensionStats | None:
    comparable = [(s, position) for position, s in enumerate(stats) if s.stdev is not None]
    if not comparable:
        return None
    # Ties go to the dimension that comes first in the questionnaire.
    return min(comparable, key=lambda pair: (-pair[0].stdev, pair[1]))[0]


def rating_difference(ratings: Iterable[Rating]) -> int | None:
    """The largest gap in points between scored ratings, or None with fewer than two scores."""
    scores = [score for score, _ in ratings if score is not None]
    if len(scores) < 2:
        return None
    return max(scores) - min(scores)


def heat_level(score: float | None) -> int | None:
    """0–8: the colour step of a 1–5 score in half points, for heat maps."""
    if score is None:
        return None
    bounded = min(max(score, SCALE_MIN), SCALE_MAX)
    return round((bounded - SCALE_MIN) * 2)
