"""Demo content: the default instrument, the demo workshop's run and realistic answers.

Answers are drawn from a seeded random generator, so every load gives the same
numbers. Each country has its own profile, and team members differ from each
other roughly as colleagues from different ministries do. participant@demo.test
keeps a partial draft so the demo shows the flow from the start.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from participants.models import Participant
from preparation import services as preparation_services

from . import selectors, services
from .instrument_file import DEFAULT_INSTRUMENT_FILE, read_instrument_file
from .models import Answer, AssessmentRun, Confidence, CountryAnswer, IndividualAssessment, Status

DEMO_PARTICIPANT = "participant@demo.test"
NOT_STARTED = {"ricardo.isaac@vc.demo.test", "nigel.outram@ms.demo.test"}
HALF_DONE = {"everton.marshall@ht.demo.test"}
SUBMITTED_LATE = {"kwame.richards@vg.demo.test", "leon.hinds@ky.demo.test"}
# Country teams (by ISO code) that have agreed and submitted their country assessment, and those still at it.
AGREED = {"BS", "DM", "TT", "BB", "GD", "LC", "SR"}
AGREEING = {"GY", "AG"}

# Typical of small island states: laws often in place, skills and funding the hardest part.
DIMENSION_LEAN = {
    "Leadership": 0.3,
    "Strategy": 0.1,
    "Governance": -0.3,
    "Legal": 0.4,
    "Technology": 0.0,
    "Professional and Workforce Development": -0.6,
}
EVIDENCE = [
    "Cabinet approved the national ICT strategy; implementation report due this year.",
    "Mentioned in the Prime Minister's budget address.",
    "Pilot in two ministries only.",
    "Draft bill with the Attorney General's office.",
    "Data Protection Act passed; commissioner not yet appointed.",
    "Shared payment gateway used by Inland Revenue and Customs.",
    "Training budget cut last year.",
    "Based on our ministry's experience; other ministries may differ.",
    "E-ID project funded by a development partner, rollout ongoing.",
]


def _rng(*parts) -> random.Random:
    return random.Random(":".join(["dtca-demo", *map(str, parts)]))


def _ratings(structure, country_levels, member_rng, *, dont_know_rate=0.07):
    bias = member_rng.gauss(0, 0.45)
    answers = {}
    for dimension in structure.dimensions:
        for statement in dimension.statement_list:
            if member_rng.random() < dont_know_rate + (0.06 if dimension.name == "Legal" else 0):
                answers[statement.pk] = (None, True)
                continue
            value = country_levels[dimension.pk] + bias + member_rng.gauss(0, 0.75)
            answers[statement.pk] = (min(5, max(1, round(value))), False)
    return answers


def _answer_objects(model, owner_field, owner, ratings, member_rng, statements):
    objects = []
    for statement in statements:
        score, dont_know = ratings[statement.pk]
        confidence = (
            ""
            if dont_know
            else member_rng.choice([Confidence.HIGH, Confidence.MEDIUM, Confidence.MEDIUM, Confidence.LOW])
        )
        note = member_rng.choice(EVIDENCE) if member_rng.random() < 0.12 else ""
        objects.append(
            model(
                **{owner_field: owner},
                statement=statement,
                score=score,
                dont_know=dont_know,
                confidence=confidence,
                note=note,
            )
        )
    return objects


@transaction.atomic
def load(workshop) -> str | None:
    instrument, _ = services.load_instrument(read_instrument_file(DEFAULT_INSTRUMENT_FILE))
    run, _ = AssessmentRun.objects.get_or_create(workshop=workshop, defaults={"instrument": instrument})
    if run.individual_assessments.exists():
        return _summary(run)
    structure = selectors.instrument_structure(run.instrument)
    due = selectors.due_moments(workshop)
    now = timezone.now()
    participants = list(
        Participant.objects.filter(cohort__workshop=workshop, is_active=True)
        .select_related("user", "cohort", "country")
        .order_by("cohort__name", "country__name", "user__email")
    )
    levels = {}
    for participant in participants:
        team_key = (participant.cohort_id, participant.country_id)
        if team_key not in levels:
            country_rng = _rng(workshop.slug, participant.cohort.name, participant.country.code)
            base = country_rng.uniform(2.0, 3.8)
            levels[team_key] = {
                d.pk: base + DIMENSION_LEAN.get(d.name, 0) + country_rng.gauss(0, 0.5) for d in structure.dimensions
            }

    answers = []
    for participant in participants:
        email = participant.user.email
        if email in NOT_STARTED:
            continue
        member_rng = _rng(workshop.slug, email)
        ratings = _ratings(structure, levels[(participant.cohort_id, participant.country_id)], member_rng)
        statements = structure.statements
        assessment = IndividualAssessment(run=run, participant=participant)
        if email == DEMO_PARTICIPANT:
            # Two dimensions and a bit of the third: enough to see "continue where you left off".
            statements = [*structure.dimensions[0].statement_list, *structure.dimensions[1].statement_list]
            statements.append(structure.dimensions[2].statement_list[0])
        elif email in HALF_DONE:
            statements = statements[: len(statements) // 2]
        else:
            cohort_due = due.get(participant.cohort_id)
            on_time_base = min(cohort_due, now) if cohort_due else now
            submitted_at = on_time_base - timedelta(hours=member_rng.randint(3, 120))
            if email in SUBMITTED_LATE and cohort_due and cohort_due + timedelta(hours=20) < now:
                submitted_at = cohort_due + timedelta(hours=member_rng.randint(6, 20))
            assessment.status = Status.SUBMITTED
            assessment.submitted_at = submitted_at
            assessment.is_late = cohort_due is not None and submitted_at > cohort_due
        assessment.save()
        if assessment.status == Status.SUBMITTED:
            # As submitting through the pages would: the DTCA preparation task counts as done.
            preparation_services.record_assessment_submitted(participant, at=assessment.submitted_at)
        answers += _answer_objects(Answer, "assessment", assessment, ratings, member_rng, statements)
    Answer.objects.bulk_create(answers)

    cohorts = {p.cohort_id: p.cohort for p in participants}
    countries = {p.country_id: p.country for p in participants}
    for cohort_id, country_id in sorted(levels, key=lambda key: (cohorts[key[0]].name, countries[key[1]].name)):
        code = countries[country_id].code
        if code not in AGREED | AGREEING:
            continue
        team = selectors.team(run, cohorts[cohort_id], countries[country_id])
        if not team.all_submitted:
            continue
        _agree(run, structure, team, submit=code in AGREED, due_at=due.get(cohort_id), now=now)
    return _summary(run)


def _agree(run, structure, team, *, submit: bool, due_at, now):
    """The team's agreed answers: where members differ, about the mean (the kind of compromise teams reach)."""
    country_assessment = services.start_country_assessment(team, structure)
    prefilled = set(country_assessment.answers.values_list("statement_id", flat=True))
    editor = team.members[-1].participant.user
    team_rng = _rng(run.workshop.slug, team.cohort.name, team.country.code, "agreed")
    agreed = []
    for row in selectors.team_comparison(structure, team):
        if row.statement.pk in prefilled or (row.is_notable and not submit):
            # A team still at work has settled the easy statements and left the big differences for its call.
            continue
        scores = [a.score for a in row.member_answers if a is not None and a.score is not None]
        value = (
            (round(sum(scores) / len(scores) + team_rng.choice([-0.25, 0, 0.25])), False) if scores else (None, True)
        )
        agreed.append(
            CountryAnswer(
                country_assessment=country_assessment,
                statement=row.statement,
                score=value[0],
                dont_know=value[1],
                confidence=Confidence.MEDIUM if scores else "",
                edited_by=editor,
            )
        )
    CountryAnswer.objects.bulk_create(agreed)
    country_assessment.last_edited_by = editor
    country_assessment.last_edited_at = now
    if submit:
        base = min(due_at, now) if due_at else now
        country_assessment.status = Status.SUBMITTED
        country_assessment.submitted_at = base - timedelta(hours=team_rng.randint(1, 24))
        country_assessment.submitted_by = editor
        country_assessment.last_edited_at = country_assessment.submitted_at
    country_assessment.save()


def _summary(run) -> str:
    submitted = run.individual_assessments.filter(status=Status.SUBMITTED).count()
    agreed = run.country_assessments.filter(status=Status.SUBMITTED).count()
    return (
        f"{run.instrument} for the workshop; {submitted} submitted individual assessments, "
        f"{agreed} agreed country assessments; {DEMO_PARTICIPANT} has a draft to continue."
    )
