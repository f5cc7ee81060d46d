"""Tasks answered in a form that another app owns: an SDG choice, a country team's priorities.

Some preparation tasks are answered in a structured form instead of (or besides) a text, a link or a file.
The app that owns the form registers a *source* here (in its ``AppConfig.ready``). Preparation asks the sources
which tasks they answer and who has answered, and then counts an answer like a hand-in everywhere: the
participant's status, the progress board and its CSV, and ``participant_ids_done`` (reminders, messages).
Preparation never imports those apps.

A source implements two methods:

``panels(task_ids) -> dict[int, Panel]``
    What the source adds to each of these tasks' pages (tasks it does not know are left out).

``answers(tasks, *, panels, cohort_ids, participant=None) -> dict[tuple[int, tuple], Answer]``
    The answers to these tasks (each with its panel) in these groups, keyed by (task pk, owner key); the owner
    key is the one of ``Submission.owner_key``. With ``participant``, only that participant's own answers and
    their teams'. Tasks of other sources are to be ignored.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True)
class Panel:
    """What another app adds to a task's page."""

    kind: str  # the source's name for its form, e.g. "sdg_choice"
    label: str  # e.g. "SDG choice"
    template: str  # included on the task page and in "My preparation", with `row` in the context
    records_answer: bool  # its answer is the task's work: it counts as done
    replaces_deliverable: bool  # the form is the answer; a text box or a "mark as done" button would duplicate it


@dataclass(frozen=True)
class Answer:
    """One owner's structured answer to a task."""

    task_id: int
    owner_key: tuple
    answered_at: datetime  # when the answer was first given: lateness counts from here
    answered_by_id: int | None  # the participant who changed it last
    answered_by_name: str
    summary: str  # one line, e.g. "SDG 3 · Good health and well-being"
    url: str = ""  # where a facilitator reads it
    detail: object = None  # the source's own record(s), for its panel template


class Source(Protocol):
    def panels(self, task_ids) -> dict[int, Panel]: ...

    def answers(self, tasks, *, panels, cohort_ids, participant=None) -> dict[tuple[int, tuple], Answer]: ...


_sources: list[Source] = []


def register(source: Source) -> None:
    if source not in _sources:
        _sources.append(source)


def panels(tasks) -> dict[int, Panel]:
    """The panels of these tasks (one query per registered source; none without tasks)."""
    ids = [task.pk for task in tasks]
    found: dict[int, Panel] = {}
    if not ids:
        return found
    for source in _sources:
        found.update(source.panels(ids))
    return found


def answers(tasks, *, cohort_ids, participant=None, known_panels=None) -> dict[tuple[int, tuple], Answer]:
    """Structured answers to those of these tasks whose panel records one."""
    known_panels = panels(tasks) if known_panels is None else known_panels
    answering = [task for task in tasks if task.pk in known_panels and known_panels[task.pk].records_answer]
    found: dict[tuple[int, tuple], Answer] = {}
    if not answering:
        return found
    for source in _sources:
        found.update(
            source.answers(
                answering,
                panels={task.pk: known_panels[task.pk] for task in answering},
                cohort_ids=list(cohort_ids),
                participant=participant,
            )
        )
    return found
