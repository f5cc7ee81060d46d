"""Fill a database with a hundred workshops, as UN DESA would have after some years of running them.

    createdb -h 127.0.0.1 -U postgres wt_scale_data
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wt_scale_data DEBUG=1 .venv/bin/python bench/hundred_workshops.py

What it builds (the defaults; each is an option):

* the demo workshop (``load_demo``), shifted so that its first session was two weeks ago: the one *current*
  workshop, with its 40 demo participants and the demo accounts the measurements sign in with;
* 99 more runs of the same programme, each with 2 groups of 40 participants, one every three weeks going back
  from two months ago: all of them *ended*;
* for every ended workshop, what its participants leave behind: a submitted DTCA (one answer per statement) and
  the country teams' agreed assessments, an answer to most evaluation forms, their preparation work (one or two
  versions per task) and the reminder mails that were sent to them.

The programme of each workshop goes through ``import_programme`` (the path an organizer's import takes) and the
evaluation forms, assessment run and reminder rules through their services; the people and what they did are
written in batches (``COPY`` on PostgreSQL, ``bulk_create`` elsewhere), so the whole run takes minutes. It refuses
to run twice on the same database (run ``dropdb``/``createdb`` first) and never on a database called ``test``.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import sys
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SLUG_PREFIX = "bench-run-"


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workshops", type=int, default=100, help="Workshops in all, the current demo one included.")
    parser.add_argument("--groups", type=int, default=2, help="Groups per generated workshop.")
    parser.add_argument("--per-group", type=int, default=40, help="Participants per group of a generated workshop.")
    parser.add_argument("--seed", type=int, default=2021)
    parser.add_argument("--quiet", action="store_true")
    return parser.parse_args(argv)


def setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workshop_portal.settings")
    os.environ.setdefault("DEBUG", "1")
    import django

    django.setup()


class Writer:
    """Rows into a table: COPY on PostgreSQL (about ten times bulk_create's speed), bulk_create elsewhere."""

    def __init__(self, connection):
        self.connection = connection
        self.written: dict[str, int] = {}

    def rows(self, model, fields: list[str], rows: list[tuple]) -> None:
        if not rows:
            return
        label = model._meta.label
        self.written[label] = self.written.get(label, 0) + len(rows)
        if self.connection.vendor != "postgresql":
            names = [model._meta.get_field(name).attname for name in fields]
            model.objects.bulk_create([model(**dict(zip(names, row, strict=True))) for row in rows], batch_size=500)
            return
        columns = [model._meta.get_field(name).column for name in fields]
        buffer = io.StringIO()
        for row in rows:
            buffer.write("\t".join(_copy_value(value) for value in row))
            buffer.write("\n")
        buffer.seek(0)
        with self.connection.cursor() as cursor:
            cursor.cursor.copy_expert(f'COPY "{model._meta.db_table}" ({", ".join(columns)}) FROM STDIN', buffer)


def _copy_value(value) -> str:
    if value is None:
        return r"\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, datetime):
        return value.isoformat()
    text = str(value)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def log(args, message):
    if not args.quiet:
        print(message, flush=True)


def build(args) -> dict:
    """Build everything; returns the figures (counts and seconds per phase)."""
    from django.core.management import call_command
    from django.db import connection

    from sessions_app.models import Workshop

    if connection.settings_dict["NAME"] in {"test", "postgres"}:
        raise SystemExit("Refusing to fill the database called test/postgres: use a database of its own.")
    rng = random.Random(args.seed)
    timings: dict[str, float] = {}
    started = time.perf_counter()

    call_command("migrate", verbosity=0)
    if Workshop.objects.filter(slug__startswith=SLUG_PREFIX).exists():
        raise SystemExit("This database already holds the generated workshops; drop and create it to start over.")
    timings["migrate"] = time.perf_counter() - started

    mark = time.perf_counter()
    today = datetime.now(UTC).date()
    call_command("load_demo", shift_to=today - timedelta(days=14), force=True, stdout=io.StringIO())
    timings["demo workshop"] = time.perf_counter() - mark

    written = add_ended_workshops(args, today, rng, timings)
    mark = time.perf_counter()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # as autovacuum would have, long before anyone measures
    timings["analyze"] = time.perf_counter() - mark
    timings["total"] = time.perf_counter() - started
    return {"timings": timings, "rows": written}


def add_ended_workshops(args, today: date, rng, timings: dict | None = None) -> dict:
    """Add ``args.workshops - 1`` ended runs with their participants and what they did; returns rows written."""
    from django.db import connection, transaction

    timings = {} if timings is None else timings
    mark = time.perf_counter()
    with transaction.atomic():
        workshops = _programmes(args, today)
    timings["programmes"] = time.perf_counter() - mark
    writer = Writer(connection)
    with transaction.atomic():
        for phase, step in (
            ("people", _people),
            ("DTCA", _dtca),
            ("evaluations", _evaluations),
            ("preparation", _preparation),
            ("reminder deliveries", _deliveries),
        ):
            mark = time.perf_counter()
            if step is _people:
                people = _people(args, rng, writer, workshops)
            else:
                step(rng, writer, workshops, people)
            timings[phase] = time.perf_counter() - mark
    return writer.written


def _programmes(args, today: date) -> list:
    """The 99 ended runs: the programme imported as an organizer would, forms, run and rules set up."""
    from assessments.services import ensure_run
    from evaluations.services import ensure_forms
    from reminders.services import install_default_rules
    from sessions_app.models import Cohort
    from sessions_app.programme_file import parse_document
    from sessions_app.services import import_programme

    document = (ROOT / "sessions_app" / "programmes" / "caribbean-2021.yaml").read_text(encoding="utf-8")
    workshops = []
    for index in range(1, args.workshops):
        data = parse_document(document)
        data["groups"] = [
            {"name": f"Group {chr(64 + g)}", "capacity": args.per_group, "seats_per_country": 4, "meeting_link": ""}
            for g in range(1, args.groups + 1)
        ]
        for session in data["sessions"]:
            occurrences = session.get("occurrences") or []
            template = occurrences[0] if occurrences else None
            if template is not None:
                session["occurrences"] = [
                    {**template, "group": f"Group {chr(64 + g)}"} | _shifted(template, days=(g - 1) % 2, group_index=g)
                    for g in range(1, args.groups + 1)
                ]
        first = today - timedelta(days=60 + 21 * index)
        workshop = import_programme(
            data, slug=f"{SLUG_PREFIX}{index:03d}", title=f"Run {index:03d} of the Caribbean course", first_date=first
        )
        ensure_run(workshop)
        ensure_forms(workshop)
        install_default_rules(workshop)
        workshop.bench_cohorts = list(Cohort.objects.filter(workshop=workshop).order_by("name"))
        workshops.append(workshop)
        if index % 10 == 0:
            log(args, f"  {index} workshops imported")
    return workshops


def _shifted(occurrence: dict, *, days: int, group_index: int) -> dict:
    """Group B meets a day after group A (and so on), at the same clock time."""
    shifted = {}
    for key in ("starts_at", "ends_at", "start", "end", "date"):
        value = occurrence.get(key)
        if value is None:
            continue
        if isinstance(value, datetime | date):
            shifted[key] = value + timedelta(days=days)
        elif isinstance(value, str) and len(value) >= 10:
            try:
                moment = datetime.fromisoformat(value) + timedelta(days=days)
            except ValueError:
                continue
            shifted[key] = moment.isoformat() if "T" in value or " " in value else moment.date().isoformat()
    return shifted


def _people(args, rng, writer, workshops) -> dict:
    """Users and participants, per cohort: {cohort_id: [(participant_id, country_id), ...]}."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from participants.models import Country, Participant

    User = get_user_model()
    password = make_password(None)  # nobody signs in as a generated person
    countries = list(Country.objects.order_by("code").values_list("pk", flat=True))
    now = datetime.now(UTC)
    users = []
    slots = []
    for workshop in workshops:
        for cohort in workshop.bench_cohorts:
            for n in range(args.per_group):
                users.append(
                    User(
                        email=f"p{workshop.pk}-{cohort.pk}-{n}@bench.example.org",
                        password=password,
                        first_name=rng.choice(FIRST_NAMES),
                        last_name=rng.choice(LAST_NAMES),
                        date_joined=now,
                    )
                )
                slots.append((cohort, countries[(n // 2) % len(countries)]))
    User.objects.bulk_create(users, batch_size=2000)
    participants = [
        Participant(
            user=user,
            cohort=cohort,
            country_id=country_id,
            institution=rng.choice(INSTITUTIONS),
            position="Officer",
            invitation_sent_at=now,
            invitation_accepted_at=now,
        )
        for user, (cohort, country_id) in zip(users, slots, strict=True)
    ]
    Participant.objects.bulk_create(participants, batch_size=2000)
    writer.written["participants.User"] = len(users)
    writer.written["participants.Participant"] = len(participants)
    by_cohort: dict[int, list[tuple[int, int]]] = {}
    for participant in participants:
        by_cohort.setdefault(participant.cohort_id, []).append((participant.pk, participant.country_id))
    return by_cohort


def _dtca(rng, writer, workshops, people):
    from assessments.models import (
        Answer,
        AssessmentRun,
        CountryAnswer,
        CountryAssessment,
        IndividualAssessment,
        Statement,
        Status,
    )

    runs = {run.workshop_id: run for run in AssessmentRun.objects.filter(workshop__in=workshops)}
    statements = {}
    for workshop in workshops:
        run = runs[workshop.pk]
        if run.instrument_id not in statements:
            statements[run.instrument_id] = list(
                Statement.objects.filter(dimension__instrument_id=run.instrument_id).values_list("pk", flat=True)
            )
    for workshop in workshops:
        run = runs[workshop.pk]
        done = workshop_end(workshop)
        assessments = [
            IndividualAssessment(run=run, participant_id=pid, status=Status.SUBMITTED, submitted_at=done)
            for cohort in workshop.bench_cohorts
            for pid, _ in people[cohort.pk]
        ]
        IndividualAssessment.objects.bulk_create(assessments, batch_size=2000)
        writer.written["assessments.IndividualAssessment"] = writer.written.get(
            "assessments.IndividualAssessment", 0
        ) + len(assessments)
        writer.rows(
            Answer,
            ["assessment", "statement", "score", "dont_know", "confidence", "note", "updated_at"],
            [(a.pk, s, *_score(rng), "medium", "", done) for a in assessments for s in statements[run.instrument_id]],
        )
        teams = [
            CountryAssessment(run=run, cohort=cohort, country_id=country, status=Status.SUBMITTED, submitted_at=done)
            for cohort in workshop.bench_cohorts
            for country in sorted({c for _, c in people[cohort.pk]})
        ]
        CountryAssessment.objects.bulk_create(teams, batch_size=2000)
        writer.rows(
            CountryAnswer,
            ["country_assessment", "statement", "score", "dont_know", "confidence", "note", "updated_at"],
            [(t.pk, s, *_score(rng), "high", "", done) for t in teams for s in statements[run.instrument_id]],
        )


def _score(rng):
    if rng.random() < 0.05:
        return None, True
    return rng.randint(1, 5), False


def workshop_end(workshop) -> datetime:
    from sessions_app.models import SessionOccurrence

    if not hasattr(workshop, "_bench_end"):
        workshop._bench_end = max(
            SessionOccurrence.objects.filter(session__workshop=workshop).values_list("ends_at", flat=True)
        )
    return workshop._bench_end


def _evaluations(rng, writer, workshops, people):
    from evaluations.models import EvaluationForm, FormQuestion

    forms = list(EvaluationForm.objects.filter(cohort__workshop__in=workshops))
    questions: dict[int, list[FormQuestion]] = {}
    for question in FormQuestion.objects.filter(form__in=forms).order_by("form_id", "order"):
        questions.setdefault(question.form_id, []).append(question)
    responses, answers, completions = [], [], []
    for form in forms:
        for pid, _ in people[form.cohort_id]:
            if rng.random() > 0.9:
                continue
            response_id = uuid.uuid4()
            responses.append((response_id, form.pk, ""))
            completions.append((form.pk, pid, None if form.is_anonymous else response_id))
            for question in questions.get(form.pk, []):
                if question.kind == "rating":
                    answers.append((uuid.uuid4(), response_id, question.pk, rng.randint(2, 5), "", ""))
                elif question.kind in ("single", "multiple") and question.choices:
                    answers.append((uuid.uuid4(), response_id, question.pk, None, rng.choice(question.choices), ""))
                elif question.kind == "text" and rng.random() < 0.3:
                    answers.append((uuid.uuid4(), response_id, question.pk, None, "", rng.choice(COMMENTS)))
        if len(answers) > 200_000:
            _flush_evaluations(writer, responses, answers, completions)
            responses, answers, completions = [], [], []
    _flush_evaluations(writer, responses, answers, completions)


def _flush_evaluations(writer, responses, answers, completions):
    from evaluations.models import Answer, Completion, Response

    writer.rows(Response, ["id", "form", "edit_key_hash"], responses)
    writer.rows(Answer, ["id", "response", "question", "rating", "choice", "text"], answers)
    writer.rows(Completion, ["form", "participant", "response"], completions)


def _preparation(rng, writer, workshops, people):
    """Each participant's individual work: a version (two for some) per task they did."""
    from django.db import connection

    from preparation.models import Submission, SubmissionVersion
    from sessions_app.models import PreparationTask

    tasks = list(
        PreparationTask.objects.filter(
            session__workshop__in=workshops, performed_by=PreparationTask.PerformedBy.INDIVIDUAL
        ).exclude(kind=PreparationTask.Kind.ASSESSMENT)
    )
    by_workshop: dict[int, list] = {}
    session_workshop = dict(
        PreparationTask.objects.filter(pk__in=[t.pk for t in tasks]).values_list("pk", "session__workshop_id")
    )
    for task in tasks:
        by_workshop.setdefault(session_workshop[task.pk], []).append(task)
    for workshop in workshops:
        done = workshop_end(workshop) - timedelta(days=20)
        submissions, owners = [], []
        for cohort in workshop.bench_cohorts:
            for task in by_workshop.get(workshop.pk, []):
                for pid, _ in people[cohort.pk]:
                    if rng.random() < 0.15:
                        continue
                    count = 2 if task.deliverable == "text" and rng.random() < 0.4 else 1
                    submissions.append(
                        Submission(task=task, cohort=cohort, participant_id=pid, version_count=count, submitted_at=done)
                    )
                    owners.append((pid, count, task.deliverable))
        Submission.objects.bulk_create(submissions, batch_size=2000)
        writer.written["preparation.Submission"] = writer.written.get("preparation.Submission", 0) + len(submissions)
        writer.rows(
            SubmissionVersion,
            [
                "submission",
                "number",
                "submitted_by",
                "submitted_at",
                "is_late",
                "text",
                "link",
                "file",
                "original_name",
                "content_type",
            ],
            [
                (s.pk, n, pid, done, False, rng.choice(COMMENTS) if deliverable == "text" else "", "", "", "", "")
                for s, (pid, count, deliverable) in zip(submissions, owners, strict=True)
                for n in range(1, count + 1)
            ],
        )
    with connection.cursor() as cursor:
        # Each submission points at its latest version, as hand_in() leaves it.
        cursor.execute(
            "UPDATE preparation_submission SET latest_version_id = ("
            " SELECT v.id FROM preparation_submissionversion v"
            " WHERE v.submission_id = preparation_submission.id AND v.number = preparation_submission.version_count)"
            " WHERE latest_version_id IS NULL AND version_count > 0"
        )


def _deliveries(rng, writer, workshops, people):
    """The mails the rules sent: the join link and the evaluation invitation to everyone, the follow-ups to some."""
    from evaluations.models import EvaluationForm
    from reminders.models import Delivery, ReminderRule
    from sessions_app.models import PreparationTask, SessionOccurrence

    rules: dict[int, dict[str, list[ReminderRule]]] = {}
    for rule in ReminderRule.objects.filter(workshop__in=workshops):
        rules.setdefault(rule.workshop_id, {}).setdefault(rule.kind, []).append(rule)
    occurrences: dict[int, list] = {}
    for occurrence in SessionOccurrence.objects.filter(session__workshop__in=workshops).select_related("session"):
        occurrences.setdefault(occurrence.cohort_id, []).append(occurrence)
    forms: dict[int, list] = {}
    for form in EvaluationForm.objects.filter(cohort__workshop__in=workshops):
        forms.setdefault(form.cohort_id, []).append(form)
    tasks: dict[int, list] = {}
    for task in PreparationTask.objects.filter(session__workshop__in=workshops, is_optional=False).select_related(
        "session"
    ):
        tasks.setdefault(task.session.workshop_id, []).append(task)
    sent = Delivery.Status.SENT
    rows = []
    for workshop in workshops:
        kinds = rules.get(workshop.pk, {})
        for cohort in workshop.bench_cohorts:
            members = people[cohort.pk]
            targets = []  # (rule, key, moment, share of the group that got it)
            for rule in kinds.get("session_before", []):
                targets += [
                    (rule, f"occurrence:{o.pk}", o.starts_at + rule.offset, 1.0) for o in occurrences[cohort.pk]
                ]
            for kind, share in (("evaluation_invite", 1.0), ("evaluation_followup", 0.4)):
                for rule in kinds.get(kind, []):
                    targets += [(rule, f"form:{f.pk}", f.opens_at + rule.offset, share) for f in forms[cohort.pk]]
            by_number = {o.session.number: o for o in occurrences[cohort.pk]}
            for kind, assessment in (("task_due", False), ("dtca_due", True)):
                for rule in kinds.get(kind, []):
                    for task in tasks.get(workshop.pk, []):
                        if (task.kind == PreparationTask.Kind.ASSESSMENT) != assessment:
                            continue
                        due = task.due_at(by_number)
                        if due is not None:
                            targets.append((rule, f"task:{task.pk}:cohort:{cohort.pk}", due + rule.offset, 0.5))
            for rule in kinds.get("action_plan_followup", []):
                end = max(o.ends_at for o in occurrences[cohort.pk])
                targets += [
                    (rule, f"followup:cohort:{cohort.pk}:months:{m}", end + timedelta(days=30 * m), 0.6) for m in (3,)
                ]
            for rule, key, moment, share in targets:
                for pid, _ in members:
                    if share < 1 and rng.random() > share:
                        continue
                    rows.append((rule.pk, pid, key, moment, sent, moment, 1, "", "", moment, moment))
        if len(rows) > 100_000:
            _flush_deliveries(writer, rows)
            rows = []
    _flush_deliveries(writer, rows)


def _flush_deliveries(writer, rows):
    from reminders.models import Delivery

    writer.rows(
        Delivery,
        [
            "rule",
            "participant",
            "target_key",
            "scheduled_for",
            "status",
            "enqueued_at",
            "attempts",
            "last_error",
            "skip_reason",
            "created_at",
            "sent_at",
        ],
        rows,
    )


FIRST_NAMES = [
    "Aaliyah",
    "Brian",
    "Camille",
    "Dwayne",
    "Esther",
    "Fabian",
    "Gillian",
    "Horace",
    "Imani",
    "Jerome",
    "Kezia",
    "Lennox",
    "Marsha",
    "Nigel",
    "Odessa",
    "Patrick",
    "Renee",
    "Shane",
    "Tricia",
    "Winston",
]
LAST_NAMES = [
    "Alleyne",
    "Bascombe",
    "Charles",
    "Daniel",
    "Edwards",
    "Francis",
    "George",
    "Henry",
    "Isaac",
    "James",
    "King",
    "Lewis",
    "Mitchell",
    "Noel",
    "Osborne",
    "Phillip",
    "Richards",
    "Samuel",
    "Thomas",
]
INSTITUTIONS = [
    "Ministry of Public Service",
    "Ministry of Finance",
    "E-Government Unit",
    "Inland Revenue",
    "Ministry of Health",
    "Statistical Office",
    "Cabinet Office",
    "Ministry of Education",
]
COMMENTS = [
    "More time in the breakout rooms.",
    "Please share the slides before the session.",
    "The case studies were the most useful part.",
    "Start on time.",
    "A good mix of theory and practice.",
]


def main(argv=None):
    args = parse_args(argv)
    setup_django()
    figures = build(args)
    from django.db import connection

    print(f"Database: {connection.vendor} · {args.workshops} workshops · {args.groups} groups × {args.per_group}")
    print("| phase | seconds |")
    print("| --- | ---: |")
    for phase, seconds in figures["timings"].items():
        print(f"| {phase} | {seconds:.1f} |")
    print()
    print("| table | rows written |")
    print("| --- | ---: |")
    for label, count in sorted(figures["rows"].items()):
        print(f"| {label} | {count:,} |")
    return figures


if __name__ == "__main__":
    main()
