"""Polls: a session's polls, their runs and results."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count

from participants.models import Participant
from sessions_app.models import SessionOccurrence

from ..models import (
    Poll,
    PollOption,
    PollRun,
    PollVote,
)


def session_polls(session_id: int):
    return (
        Poll.objects.filter(session_id=session_id)
        # The workshop says which language a question is written in (shown "in English" where untranslated).
        .select_related("agenda_item", "session__workshop")
        .prefetch_related("options")
        .annotate(vote_total=Count("runs__votes", distinct=True))
    )


@dataclass
class OptionResult:
    option: PollOption
    votes: int
    percent: int  # of the voters (a multiple-choice option can be picked by everyone)


@dataclass
class PollResults:
    voters: int
    options: list[OptionResult]


def poll_results(runs: list[PollRun]) -> dict[int, PollResults]:
    """Results of runs (of one or several polls), keyed by run id, in two queries whatever their number.

    Options are read from ``run.poll.options.all()``: prefetch them when there are several polls.
    """
    run_ids = [run.pk for run in runs]
    voters = dict(
        PollVote.objects.filter(run_id__in=run_ids).values("run_id").annotate(n=Count("pk")).values_list("run_id", "n")
    )
    counts = defaultdict(int)
    through = PollVote.options.through
    for row in (
        through.objects.filter(pollvote__run_id__in=run_ids)
        .values("pollvote__run_id", "polloption_id")
        .annotate(n=Count("pk"))
    ):
        counts[(row["pollvote__run_id"], row["polloption_id"])] = row["n"]
    results = {}
    for run in runs:
        total = voters.get(run.pk, 0)
        results[run.pk] = PollResults(
            voters=total,
            options=[
                OptionResult(
                    option,
                    counts[(run.pk, option.pk)],
                    round(100 * counts[(run.pk, option.pk)] / total) if total else 0,
                )
                for option in run.poll.options.all()
            ],
        )
    return results


def occurrence_poll_runs(occurrence: SessionOccurrence) -> dict[int, PollRun]:
    return {run.poll_id: run for run in PollRun.objects.filter(occurrence=occurrence)}


def poll_comparison(poll: Poll) -> list[tuple[PollRun, PollResults]]:
    """Every group's run of a poll, in group order, with its results, for side-by-side reading."""
    runs = list(poll.runs.select_related("occurrence__cohort").order_by("occurrence__cohort__name"))
    for run in runs:
        run.poll = poll
    results = poll_results(runs)
    return [(run, results[run.pk]) for run in runs]


def has_voted(run: PollRun, participant: Participant | None) -> bool:
    return participant is not None and PollVote.objects.filter(run=run, participant=participant).exists()
