"""Functions that read preparation work: who owns what, when it is due, where everyone stands.

Other apps call ``participant_ids_done`` and ``due_at_for``; the rest serves this app's pages. A task answered
in another app's structured form (see ``structured``) counts as done by its answer, like a hand-in.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from participants.models import Participant, Team, TeamMembership
from sessions_app.models import PreparationTask, SessionOccurrence
from sessions_app.selectors import cohort_occurrences, occurrences_by_number

from . import structured
from .models import Extension, Submission, SubmissionVersion

PerformedBy = PreparationTask.PerformedBy

STATUS_LABELS = {
    "todo": gettext_lazy("To do"),
    "overdue": gettext_lazy("Overdue"),
    "done": gettext_lazy("Done"),
    "late": gettext_lazy("Handed in late"),
    "by_teammate": gettext_lazy("Submitted by a teammate"),
    "no_team": gettext_lazy("No team yet"),
}
STATUS_STYLES = {
    "todo": "secondary",
    "overdue": "danger",
    "done": "success",
    "late": "warning",
    "by_teammate": "info",
    "no_team": "light",
}


# --------------------------------------------------------------------------- owners


def team_does_task(team: Team, task: PreparationTask) -> bool:
    """A designated team works on its session's team tasks; a team without a session on all of them."""
    return team.session_id is None or team.session_id == task.session_id


def owner_keys(task: PreparationTask, participant: Participant, teams) -> list[tuple]:
    """The owners whose work on this task is the participant's work (several only for several teams)."""
    if task.performed_by == PerformedBy.COUNTRY_TEAM:
        return [("country", participant.cohort_id, participant.country_id)]
    if task.performed_by == PerformedBy.DESIGNATED_TEAM:
        return [("team", team.pk) for team in teams if team_does_task(team, task)]
    return [("participant", participant.pk)]


def _owner_q(keys) -> Q:
    query = Q(pk__in=[])
    for key in keys:
        if key[0] == "participant":
            query |= Q(participant_id=key[1])
        elif key[0] == "team":
            query |= Q(team_id=key[1])
        else:
            query |= Q(cohort_id=key[1], country_id=key[2])
    return query


def _participant_owner_q(participant: Participant, teams) -> Q:
    """Every owner the participant belongs to, for any task."""
    return (
        Q(participant_id=participant.pk)
        | Q(cohort_id=participant.cohort_id, country_id=participant.country_id)
        | Q(team_id__in=[team.pk for team in teams])
    )


def designated_teams_of(participant: Participant) -> list[Team]:
    return list(Team.objects.filter(memberships__participant=participant).order_by("name"))


# --------------------------------------------------------------------------- due dates and status


def due_at_for(task: PreparationTask, participant: Participant, occurrences_by_number) -> datetime | None:
    """The moment the participant's work on the task is due in their group, an extension applied."""
    due = task.due_at(occurrences_by_number)
    teams = designated_teams_of(participant) if task.performed_by == PerformedBy.DESIGNATED_TEAM else []
    keys = owner_keys(task, participant, teams)
    if not keys:
        return due
    extended = Extension.objects.filter(task=task).filter(_owner_q(keys)).values_list("due_at", flat=True)
    return max(extended, default=due)


def closes_at(task: PreparationTask, occurrences_by_number, due_at: datetime | None) -> datetime | None:
    """After this moment nothing more is accepted: the group's session the task prepares for has ended.

    An extension past that end keeps the task open until the extended moment. Private reflection notes never
    close: they are the author's own notes.
    """
    if task.is_private:
        return None
    occurrence = occurrences_by_number.get(task.session.number)
    if occurrence is None:
        return None
    if due_at is not None and due_at > occurrence.ends_at:
        return due_at
    return occurrence.ends_at


@dataclass(frozen=True)
class WorkWindow:
    """May this participant still work on this task? ``refusal`` says why not (translated); None means yes."""

    refusal: str | None
    due_at: datetime | None = None
    closes_at: datetime | None = None


def work_window(task: PreparationTask, participant: Participant, now=None, *, check_closed: bool = True) -> WorkWindow:
    """The one rule for every app where a participant works on a task (a hand-in, an SDG choice, priorities):
    an active participant of the task's workshop, until the group's session ended (or their extension)."""
    if not participant.is_active:
        return WorkWindow(_("Your place in this group has been closed, so you cannot hand in or change work."))
    if task.session.workshop_id != participant.cohort.workshop_id:
        return WorkWindow(_("This task is not part of your group's programme."))
    if not check_closed:
        return WorkWindow(None)
    occurrences = SessionOccurrence.objects.filter(cohort_id=participant.cohort_id).select_related("session")
    by_number = occurrences_by_number(occurrences)
    due = due_at_for(task, participant, by_number)
    closes = closes_at(task, by_number, due)
    now = now or timezone.now()
    if closes is not None and now > closes:
        refusal = _(
            "This task closed when Session %(number)s of your group ended; nothing more can be handed in or "
            "changed. What you gave is kept. If you need more time, ask the organizers for an extension."
        ) % {"number": task.session.number}
        return WorkWindow(refusal, due, closes)
    return WorkWindow(None, due, closes)


def status_of(submission: Submission | None, due_at, *, viewer_id=None, has_owner=True, now=None, answer=None) -> str:
    """The status of one owner's work; ``answer`` is their structured answer, which counts like a hand-in."""
    if not has_owner:
        return "no_team"
    if submission is not None and submission.latest_version_id:
        if viewer_id is not None and submission.participant_id is None:
            version = submission.latest_version
            if version.submitted_by_id != viewer_id:
                return "by_teammate"
        return "late" if submission.is_late else "done"
    if answer is not None:
        if viewer_id is not None and answer.owner_key[0] != "participant" and answer.answered_by_id != viewer_id:
            return "by_teammate"
        return "late" if due_at is not None and answer.answered_at > due_at else "done"
    now = now or timezone.now()
    return "overdue" if due_at is not None and now > due_at else "todo"


def participant_ids_done(task: PreparationTask, participant_ids) -> set[int]:
    """Who among these participants has completed the task (a team's hand-in counts for every member).

    A structured answer (an SDG choice, a team's priorities) counts like a hand-in.
    """
    ids = set(participant_ids)
    if not ids:
        return set()
    return _ids_with_hand_in(task, ids) | _ids_with_structured_answer(task, ids)


def _ids_with_structured_answer(task: PreparationTask, ids: set[int]) -> set[int]:
    known_panels = structured.panels([task])
    if task.pk not in known_panels or not known_panels[task.pk].records_answer:
        return set()
    people = list(Participant.objects.filter(pk__in=ids).values_list("pk", "cohort_id", "country_id"))
    answered = {
        key
        for _, key in structured.answers(
            [task], cohort_ids={cohort_id for _, cohort_id, _ in people}, known_panels=known_panels
        )
    }
    done = set()
    team_ids = {key[1] for key in answered if key[0] == "team"}
    if team_ids:
        done |= set(
            TeamMembership.objects.filter(team_id__in=team_ids, participant_id__in=ids).values_list(
                "participant_id", flat=True
            )
        )
    for pk, cohort_id, country_id in people:
        if ("participant", pk) in answered or ("country", cohort_id, country_id) in answered:
            done.add(pk)
    return done


def _ids_with_hand_in(task: PreparationTask, ids: set[int]) -> set[int]:
    handed_in = Submission.objects.filter(task=task, latest_version__isnull=False)
    if task.performed_by == PerformedBy.COUNTRY_TEAM:
        teams = set(handed_in.filter(country__isnull=False).values_list("cohort_id", "country_id"))
        people = Participant.objects.filter(pk__in=ids).values_list("pk", "cohort_id", "country_id")
        return {pk for pk, cohort_id, country_id in people if (cohort_id, country_id) in teams}
    if task.performed_by == PerformedBy.DESIGNATED_TEAM:
        team_ids = handed_in.filter(team__isnull=False).values("team_id")
        return set(
            TeamMembership.objects.filter(team_id__in=team_ids, participant_id__in=ids).values_list(
                "participant_id", flat=True
            )
        )
    return set(handed_in.filter(participant_id__in=ids).values_list("participant_id", flat=True))


def _with_latest(queryset, *, with_text: bool = False):
    queryset = queryset.select_related("latest_version__submitted_by__user")
    # Boards never show the text, and must never load private notes.
    return queryset if with_text else queryset.defer("latest_version__text")


# --------------------------------------------------------------------------- a participant's own view


@dataclass
class TaskRow:
    """One task as one participant meets it: for one owner (themselves, their country team or one team)."""

    task: PreparationTask
    due_at: datetime | None
    closes_at: datetime | None
    submission: Submission | None
    status: str
    owner_key: tuple | None
    team: Team | None = None
    country_name: str = ""
    answer: structured.Answer | None = None  # the owner's answer in another app's structured form
    panel: structured.Panel | None = None  # what that app adds to the task's page

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])

    @property
    def status_style(self) -> str:
        return STATUS_STYLES[self.status]

    @property
    def is_closed(self) -> bool:
        return self.closes_at is not None and timezone.now() > self.closes_at

    @property
    def can_submit(self) -> bool:
        return self.owner_key is not None and not self.is_closed

    @property
    def owner_label(self) -> str:
        if self.team is not None:
            return self.team.name
        if self.task.performed_by == PerformedBy.COUNTRY_TEAM:
            return f"{self.country_name} team"
        return "you"

    @property
    def is_done(self) -> bool:
        return self.status in ("done", "late", "by_teammate")

    @property
    def done_by(self) -> str:
        """Who handed in (or answered) last, for "Submitted by a teammate"."""
        if self.submission is not None and self.submission.latest_version_id:
            return str(self.submission.latest_version.submitted_by.user)
        return self.answer.answered_by_name if self.answer is not None else ""

    @property
    def form_replaced(self) -> bool:
        """The task is answered in a structured form only: no text box or "mark as done" of its own."""
        return self.panel is not None and self.panel.replaces_deliverable


def _rows_for(
    task, participant, teams, by_number, submissions, extensions, now, known_due=None, answers=None, panels=None
) -> list[TaskRow]:
    answers = answers or {}
    panel = (panels or {}).get(task.pk)
    keys = owner_keys(task, participant, teams)
    base_due = known_due[task.pk] if known_due and task.pk in known_due else task.due_at(by_number)
    if not keys:
        return [
            TaskRow(
                task=task,
                due_at=base_due,
                closes_at=closes_at(task, by_number, base_due),
                submission=None,
                status="no_team",
                owner_key=None,
                panel=panel,
            )
        ]
    teams_by_key = {("team", team.pk): team for team in teams}
    rows = []
    for key in keys:
        due = extensions.get((task.pk, key), base_due)
        submission = submissions.get((task.pk, key))
        answer = answers.get((task.pk, key))
        rows.append(
            TaskRow(
                task=task,
                due_at=due,
                closes_at=closes_at(task, by_number, due),
                submission=submission,
                status=status_of(submission, due, viewer_id=participant.pk, now=now, answer=answer),
                owner_key=key,
                team=teams_by_key.get(key),
                country_name=participant.country.name,
                answer=answer,
                panel=panel,
            )
        )
    return rows


@dataclass
class SessionPreparation:
    occurrence: SessionOccurrence
    rows: list[TaskRow] = field(default_factory=list)


def participant_preparation(participant: Participant, occurrences=None) -> list[SessionPreparation]:
    """Every task of the participant's group, by session, with due moments, status and their work."""
    occurrences = occurrences if occurrences is not None else cohort_occurrences(participant.cohort)
    by_number = occurrences_by_number(occurrences)
    tasks = [task for occurrence in occurrences for task in occurrence.session.tasks.all()]
    rows = participant_task_rows(participant, tasks, by_number)
    by_task = defaultdict(list)
    for row in rows:
        by_task[row.task.pk].append(row)
    return [
        SessionPreparation(
            occurrence=occurrence,
            rows=[row for task in occurrence.session.tasks.all() for row in by_task[task.pk]],
        )
        for occurrence in occurrences
    ]


def participant_task_rows(participant: Participant, tasks, by_number, known_due=None) -> list[TaskRow]:
    """Rows for these tasks; ``known_due`` (task pk → due moment) spares reading the group's occurrences."""
    tasks = list(tasks)
    teams = []
    if any(task.performed_by == PerformedBy.DESIGNATED_TEAM for task in tasks):
        teams = [team for team in designated_teams_of(participant) if team.cohort_id == participant.cohort_id]
    owner_q = _participant_owner_q(participant, teams)
    submissions = {
        (s.task_id, s.owner_key): s
        for s in _with_latest(Submission.objects.filter(task__in=tasks).filter(owner_q), with_text=True)
    }
    extensions = {(e.task_id, e.owner_key): e.due_at for e in Extension.objects.filter(task__in=tasks).filter(owner_q)}
    panels = structured.panels(tasks)
    answers = structured.answers(
        tasks, cohort_ids=[participant.cohort_id], participant=participant, known_panels=panels
    )
    now = timezone.now()
    return [
        row
        for task in tasks
        for row in _rows_for(
            task, participant, teams, by_number, submissions, extensions, now, known_due, answers, panels
        )
    ]


def task_with_resources(pk: int) -> PreparationTask | None:
    """A task with its session, workshop and resources, or None."""
    return (
        PreparationTask.objects.select_related("session__workshop", "due_session")
        .prefetch_related("resources")
        .filter(pk=pk)
        .first()
    )


def task_rows(participant: Participant, task: PreparationTask) -> list[TaskRow]:
    occurrences = SessionOccurrence.objects.filter(cohort_id=participant.cohort_id).select_related("session")
    return participant_task_rows(participant, [task], occurrences_by_number(occurrences))


def versions_of(submission: Submission):
    return submission.versions.select_related("submitted_by__user").order_by("-number")


def submission_with_owner(pk: int) -> Submission | None:
    return (
        Submission.objects.select_related(
            "task__session__workshop",
            "cohort__workshop",
            "participant__user",
            "country",
            "team",
            "latest_version__submitted_by__user",
        )
        .filter(pk=pk)
        .first()
    )


def version_with_submission(pk: int) -> SubmissionVersion | None:
    return (
        SubmissionVersion.objects.select_related(
            "submission__task__session__workshop",
            "submission__cohort__workshop",
            "submission__participant",
            "submission__team",
        )
        .filter(pk=pk)
        .first()
    )


# --------------------------------------------------------------------------- facilitators' board


@dataclass
class Cell:
    status: str
    submission: Submission | None = None
    due_at: datetime | None = None
    note: str = ""
    applies: bool = True
    private: bool = False
    answer: structured.Answer | None = None

    @property
    def has_hand_in(self) -> bool:
        return self.submission is not None and bool(self.submission.latest_version_id)

    @property
    def is_handed_in(self) -> bool:
        return self.has_hand_in or self.answer is not None

    @property
    def can_open(self) -> bool:
        """Facilitators open handed-in work from the board, except private notes."""
        return not self.private and bool(self.open_url)

    @property
    def open_url(self) -> str:
        if self.has_hand_in:
            return reverse("preparation:submission", args=[self.submission.pk])
        return self.answer.url if self.answer is not None else ""

    @property
    def handed_in_at(self) -> datetime | None:
        if self.has_hand_in:
            return self.submission.submitted_at
        return self.answer.answered_at if self.answer is not None else None

    @property
    def label(self) -> str:
        return str(STATUS_LABELS[self.status]) if self.applies else "—"

    @property
    def style(self) -> str:
        return STATUS_STYLES[self.status]


@dataclass
class BoardRow:
    label: str
    detail: str
    kind: str  # "participant", "country" or "team"
    cells: list[Cell]
    participant: Participant | None = None


@dataclass
class Board:
    cohort: object
    tasks: list[PreparationTask]
    due: dict[int, datetime | None]
    participant_rows: list[BoardRow]
    team_rows: list[BoardRow]
    sessions: list[SessionOccurrence]
    countries: list
    done_counts: dict[int, int]

    @property
    def participant_count(self) -> int:
        return len(self.participant_rows)

    def task_columns(self):
        return [(task, self.due[task.pk], self.done_counts.get(task.pk, 0)) for task in self.tasks]


def progress_board(cohort, *, session_number: int | None = None, country_id: int | None = None) -> Board:
    """Participants and teams × tasks of one group, with the status of each; a fixed number of queries."""
    occurrences = list(SessionOccurrence.objects.filter(cohort=cohort).select_related("session").order_by("starts_at"))
    by_number = occurrences_by_number(occurrences)
    tasks = list(
        PreparationTask.objects.filter(session__workshop_id=cohort.workshop_id)
        .select_related("session", "due_session")
        .order_by("session__number", "order", "pk")
    )
    if session_number:
        tasks = [task for task in tasks if task.session.number == session_number]
    teams = list(
        Team.objects.filter(cohort=cohort)
        .select_related("session")
        .prefetch_related(
            Prefetch(
                "members",
                queryset=Participant.objects.filter(is_active=True).select_related("user", "country"),
            )
        )
    )
    everyone = list(
        Participant.objects.filter(cohort=cohort, is_active=True)
        .select_related("user", "country")
        .order_by("country__name", "user__last_name", "user__first_name")
    )
    countries = sorted({p.country for p in everyone}, key=lambda country: country.name)
    people = [p for p in everyone if not country_id or p.country_id == country_id]
    teams_of = defaultdict(list)
    for team in teams:
        for member in team.members.all():
            teams_of[member.pk].append(team)
    submissions = {
        (s.task_id, s.owner_key): s
        for s in _with_latest(Submission.objects.filter(cohort=cohort, task__in=tasks)).select_related("team")
    }
    extensions = {(e.task_id, e.owner_key): e.due_at for e in Extension.objects.filter(cohort=cohort, task__in=tasks)}
    answers = structured.answers(tasks, cohort_ids=[cohort.pk])
    base_due = {task.pk: task.due_at(by_number) for task in tasks}
    now = timezone.now()

    def cell(task, key, *, note=""):
        due = extensions.get((task.pk, key), base_due[task.pk])
        submission = submissions.get((task.pk, key))
        answer = answers.get((task.pk, key))
        return Cell(
            status=status_of(submission, due, now=now, answer=answer),
            submission=submission,
            due_at=due,
            note=note,
            private=task.is_private,
            answer=answer,
        )

    done_counts = defaultdict(int)
    participant_rows = []
    for person in people:
        cells = []
        for task in tasks:
            keys = owner_keys(task, person, teams_of[person.pk])
            if not keys:
                cells.append(Cell(status="no_team", due_at=base_due[task.pk]))
                continue
            options = [
                cell(task, key, note="" if task.performed_by == PerformedBy.INDIVIDUAL else "team") for key in keys
            ]
            # In several teams for one task: any team's hand-in counts.
            chosen = next((c for c in options if c.is_handed_in), options[0])
            if chosen.status in ("done", "late"):
                done_counts[task.pk] += 1
            cells.append(chosen)
        participant_rows.append(
            BoardRow(
                label=str(person.user), detail=person.country.name, kind="participant", cells=cells, participant=person
            )
        )

    team_rows = []
    for country in countries:
        if country_id and country.pk != country_id:
            continue
        cells = [
            cell(task, ("country", cohort.pk, country.pk))
            if task.performed_by == PerformedBy.COUNTRY_TEAM
            else Cell(status="todo", applies=False)
            for task in tasks
        ]
        members = [p for p in everyone if p.country_id == country.pk]
        team_rows.append(
            BoardRow(
                label=f"{country.name} team",
                detail=", ".join(str(p.user) for p in members),
                kind="country",
                cells=cells,
            )
        )
    for team in teams:
        members = list(team.members.all())
        if country_id and not any(member.country_id == country_id for member in members):
            continue
        cells = [
            cell(task, ("team", team.pk))
            if task.performed_by == PerformedBy.DESIGNATED_TEAM and team_does_task(team, task)
            else Cell(status="todo", applies=False)
            for task in tasks
        ]
        team_rows.append(
            BoardRow(
                label=team.name,
                detail=", ".join(f"{m.user} ({m.country.code})" for m in members),
                kind="team",
                cells=cells,
            )
        )
    if not any(task.performed_by != PerformedBy.INDIVIDUAL for task in tasks):
        team_rows = []
    return Board(
        cohort=cohort,
        tasks=tasks,
        due=base_due,
        participant_rows=participant_rows,
        team_rows=team_rows,
        sessions=occurrences,
        countries=countries,
        done_counts=done_counts,
    )


# --------------------------------------------------------------------------- files of a task


def latest_files(task: PreparationTask, cohort=None) -> list[SubmissionVersion]:
    """The file each owner handed in last for the task: one per participant or team, never two versions."""
    submissions = Submission.objects.filter(task=task, latest_version__file__gt="")
    if cohort is not None:
        submissions = submissions.filter(cohort=cohort)
    return list(
        SubmissionVersion.objects.filter(pk__in=submissions.values("latest_version_id"))
        .select_related(
            "submission__cohort", "submission__participant__user", "submission__country", "submission__team"
        )
        .defer("text")
        .order_by("submission__cohort__name", "submission_id")
    )


def extended_due_by_participant(task: PreparationTask, cohort_id: int) -> dict[int, datetime]:
    """Participants of one group whose due moment for the task an extension moved, with their moment."""
    moments: dict[int, datetime] = {}
    for extension in Extension.objects.filter(task=task, cohort_id=cohort_id):
        if extension.participant_id:
            ids = [extension.participant_id]
        elif extension.country_id:
            ids = Participant.objects.filter(cohort_id=cohort_id, country_id=extension.country_id).values_list(
                "pk", flat=True
            )
        else:
            ids = TeamMembership.objects.filter(team_id=extension.team_id).values_list("participant_id", flat=True)
        for pk in ids:
            moments[pk] = max(moments.get(pk, extension.due_at), extension.due_at)
    return moments
