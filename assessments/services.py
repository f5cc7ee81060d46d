"""Functions that change the assessment."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from preparation import services as preparation_services

from . import selectors
from .instrument_file import InstrumentFileError, InstrumentSpec, write_instrument
from .models import (
    DONT_KNOW,
    SCALE_MAX,
    SCALE_MIN,
    Answer,
    AssessmentRun,
    CountryAnswer,
    CountryAssessment,
    Dimension,
    GroupViewRelease,
    IndividualAssessment,
    Instrument,
    ScaleLevel,
    Statement,
    Status,
)


class AssessmentError(Exception):
    """A rule of the assessment refused the change; the message says why, for the person who tried."""


class Locked(AssessmentError):
    pass


class Incomplete(AssessmentError):
    def __init__(self, statements):
        self.statements = list(statements)
        count = len(self.statements)
        if count <= 5:
            names = "; ".join(f"{s.label}: “{s.text}”" for s in self.statements)
        else:
            # A long list of full statements would bury the message; the labels still name each one.
            names = ", ".join(s.label for s in self.statements) + "."
        super().__init__(
            ngettext(
                "Not submitted: %(count)s statement is still unanswered. "
                "Give a score or choose “don't know” for: %(names)s",
                "Not submitted: %(count)s statements are still unanswered. "
                "Give a score or choose “don't know” for: %(names)s",
                count,
            )
            % {"count": count, "names": names}
        )


class NotReady(AssessmentError):
    pass


@dataclass(frozen=True)
class AnswerInput:
    """One statement's answer as a form gives it: value "1"–"5", "dk" or "" (none yet)."""

    value: str = ""
    confidence: str = ""
    note: str = ""

    @property
    def score(self) -> int | None:
        return int(self.value) if self.value.isdigit() else None

    @property
    def dont_know(self) -> bool:
        return self.value == DONT_KNOW

    @property
    def is_empty(self) -> bool:
        return not (self.value or self.confidence or self.note.strip())

    def validate(self):
        in_range = self.value.isdigit() and SCALE_MIN <= int(self.value) <= SCALE_MAX
        if self.value and self.value != DONT_KNOW and not in_range:
            raise AssessmentError(
                _("A score must be from %(min)s to %(max)s or “don't know”.") % {"min": SCALE_MIN, "max": SCALE_MAX}
            )


# --------------------------------------------------------------------------- the instrument


def _signature(spec_or_instrument) -> tuple:
    if isinstance(spec_or_instrument, InstrumentSpec):
        spec = spec_or_instrument
        return (
            spec.name,
            spec.adapted_from,
            spec.introduction,
            spec.dont_know_label,
            spec.scale,
            tuple((d.name, d.description, d.statements) for d in spec.dimensions),
        )
    instrument = spec_or_instrument
    structure = selectors.instrument_structure(instrument)
    return (
        instrument.name,
        instrument.adapted_from,
        instrument.introduction,
        instrument.dont_know_label,
        tuple((s.value, s.label, s.description) for s in structure.scale),
        tuple((d.name, d.description, tuple(s.text for s in d.statement_list)) for d in structure.dimensions),
    )


@transaction.atomic
def load_instrument(spec: InstrumentSpec) -> tuple[Instrument, bool]:
    """Create the version the file describes, or bring an unanswered one up to date. Returns (instrument, changed).

    A version that already has answers is never rewritten: a file that differs
    from it is refused, and the message says to raise the version number.
    """
    existing = Instrument.objects.filter(key=spec.key, version=spec.version).first()
    if existing is not None and existing.has_answers():
        if _signature(existing) != _signature(spec):
            raise InstrumentFileError(
                _(
                    "Version %(version)s of “%(key)s” already has answers and differs from the file. "
                    "Raise “version” in the file (e.g. to %(next)s) to publish the changes as a new version."
                )
                % {"version": spec.version, "key": spec.key, "next": spec.version + 1}
            )
        return existing, False
    return write_instrument(
        spec, Instrument=Instrument, ScaleLevel=ScaleLevel, Dimension=Dimension, Statement=Statement
    )


@transaction.atomic
def new_version(instrument: Instrument) -> Instrument:
    """A copy of the instrument as the next version, free to edit; the answered version stays as it was."""
    structure = selectors.instrument_structure(instrument)
    latest = Instrument.objects.filter(key=instrument.key).order_by("-version").values_list("version", flat=True)[0]
    copy = Instrument.objects.create(
        key=instrument.key,
        version=latest + 1,
        name=instrument.name,
        adapted_from=instrument.adapted_from,
        introduction=instrument.introduction,
        dont_know_label=instrument.dont_know_label,
        previous_version=instrument,
    )
    ScaleLevel.objects.bulk_create(
        ScaleLevel(instrument=copy, value=s.value, label=s.label, description=s.description) for s in structure.scale
    )
    for dimension in structure.dimensions:
        dimension_copy = Dimension.objects.create(
            instrument=copy, order=dimension.order, name=dimension.name, description=dimension.description
        )
        Statement.objects.bulk_create(
            Statement(dimension=dimension_copy, order=s.order, text=s.text) for s in dimension.statement_list
        )
    return copy


def ensure_run(workshop) -> AssessmentRun | None:
    """The workshop's assessment run, set up with the default instrument the first time it is needed."""
    run = selectors.run_for(workshop)
    if run is not None:
        return run
    instrument = selectors.default_instrument()
    if instrument is None:
        return None
    run, _created = AssessmentRun.objects.get_or_create(workshop=workshop, defaults={"instrument": instrument})
    return selectors.run_for(workshop)


@transaction.atomic
def set_group_view_visible(run: AssessmentRun, cohort, *, visible: bool, by) -> bool:
    if cohort.workshop_id != run.workshop_id:
        raise AssessmentError(_("This group belongs to another workshop."))
    if visible:
        GroupViewRelease.objects.get_or_create(run=run, cohort=cohort, defaults={"released_by": by})
    else:
        GroupViewRelease.objects.filter(run=run, cohort=cohort).delete()
    return visible


# --------------------------------------------------------------------------- individual assessment


def _check_statement(structure: selectors.Structure, statement_id: int) -> Statement:
    statement = structure.statement(statement_id)
    if statement is None:
        raise AssessmentError(_("That statement is not part of this assessment."))
    return statement


def _store(model, lookup: dict, answer: AnswerInput, **extra):
    answer.validate()
    if answer.is_empty:
        model.objects.filter(**lookup).delete()
        return None
    stored, _created = model.objects.update_or_create(
        **lookup,
        defaults={
            "score": answer.score,
            "dont_know": answer.dont_know,
            "confidence": answer.confidence,
            "note": answer.note.strip(),
            **extra,
        },
    )
    return stored


@transaction.atomic
def save_answers(run: AssessmentRun, participant, structure, answers: dict[int, AnswerInput]) -> IndividualAssessment:
    """Save a participant's answers (a whole page, or one statement as they go). Creates the draft if needed."""
    assessment, _created = IndividualAssessment.objects.get_or_create(run=run, participant=participant)
    assessment = IndividualAssessment.objects.select_for_update().get(pk=assessment.pk)
    if assessment.is_submitted:
        raise Locked(
            _("Your assessment is submitted and locked. Ask an organizer to reopen it if something must change.")
        )
    for statement_id, answer in answers.items():
        statement = _check_statement(structure, statement_id)
        _store(Answer, {"assessment": assessment, "statement": statement}, answer)
    assessment.save(update_fields=["updated_at"])
    return assessment


@transaction.atomic
def submit_individual(assessment: IndividualAssessment, structure, *, now: datetime | None = None):
    assessment = (
        IndividualAssessment.objects.select_for_update()
        .select_related("participant__cohort__workshop")
        .get(pk=assessment.pk)
    )
    if assessment.is_submitted:
        raise Locked(_("Your assessment was already submitted."))
    if not structure.statement_count:
        raise NotReady(_("This questionnaire has no statements yet; ask an organizer to complete it."))
    missing = selectors.unanswered_statements(structure, selectors.answers_by_statement(assessment))
    if missing:
        raise Incomplete(missing)
    now = now or timezone.now()
    due = selectors.due_moment(assessment.participant.cohort)
    assessment.status = Status.SUBMITTED
    assessment.submitted_at = now
    # Late work is accepted; it is only marked, so facilitators can see it.
    assessment.is_late = due is not None and now > due
    assessment.save(update_fields=["status", "submitted_at", "is_late", "updated_at"])
    preparation_services.record_assessment_submitted(assessment.participant, at=now)
    return assessment


@transaction.atomic
def reopen_individual(assessment: IndividualAssessment, *, by) -> bool:
    """Unlock a submitted assessment so its author can change it. Returns False when it was not submitted."""
    updated = IndividualAssessment.objects.filter(pk=assessment.pk, status=Status.SUBMITTED).update(
        status=Status.DRAFT, submitted_at=None, is_late=False, reopened_at=timezone.now(), reopened_by=by
    )
    if updated:
        preparation_services.withdraw_assessment_submitted(assessment.participant)
    return bool(updated)


# --------------------------------------------------------------------------- country consolidation


@transaction.atomic
def start_country_assessment(team: selectors.Team, structure) -> CountryAssessment:
    """The team's shared assessment, created once every active member has submitted.

    It starts with the answers every member gave identically, so the team spends
    its time where views differ; everything stays editable until it is submitted.
    """
    if team.country_assessment is not None:
        return team.country_assessment
    if not team.all_submitted:
        raise NotReady(_("The country assessment opens when every member of the team has submitted their own."))
    country_assessment, created = CountryAssessment.objects.get_or_create(
        run=team.run, cohort=team.cohort, country=team.country
    )
    if created:
        prefilled = []
        for row in selectors.team_comparison(structure, team):
            answers = [a for a in row.member_answers if a is not None]
            if answers and len({a.value for a in answers}) == 1 and answers[0].is_answered:
                prefilled.append(
                    CountryAnswer(
                        country_assessment=country_assessment,
                        statement=row.statement,
                        score=answers[0].score,
                        dont_know=answers[0].dont_know,
                    )
                )
        CountryAnswer.objects.bulk_create(prefilled)
    return country_assessment


def _lock_country(country_assessment: CountryAssessment) -> CountryAssessment:
    locked = CountryAssessment.objects.select_for_update().get(pk=country_assessment.pk)
    if locked.is_submitted:
        raise Locked(_("Your country's assessment is submitted and locked. Ask an organizer to reopen it if needed."))
    return locked


@transaction.atomic
def save_country_answers(
    country_assessment: CountryAssessment, structure, answers: dict[int, AnswerInput], *, by
) -> CountryAssessment:
    country_assessment = _lock_country(country_assessment)
    for statement_id, answer in answers.items():
        statement = _check_statement(structure, statement_id)
        _store(
            CountryAnswer,
            {"country_assessment": country_assessment, "statement": statement},
            answer,
            edited_by=by,
        )
    if answers:
        country_assessment.last_edited_by = by
        country_assessment.last_edited_at = timezone.now()
        country_assessment.save(update_fields=["last_edited_by", "last_edited_at"])
    return country_assessment


@transaction.atomic
def submit_country(country_assessment: CountryAssessment, structure, *, by, now: datetime | None = None):
    country_assessment = _lock_country(country_assessment)
    missing = selectors.unanswered_statements(structure, selectors.country_answers_by_statement(country_assessment))
    if missing:
        raise Incomplete(missing)
    now = now or timezone.now()
    due = selectors.due_moment(country_assessment.cohort)
    country_assessment.status = Status.SUBMITTED
    country_assessment.submitted_at = now
    country_assessment.submitted_by = by
    country_assessment.is_late = due is not None and now > due
    country_assessment.save(update_fields=["status", "submitted_at", "submitted_by", "is_late"])
    return country_assessment


@transaction.atomic
def reopen_country(country_assessment: CountryAssessment, *, by) -> bool:
    updated = CountryAssessment.objects.filter(pk=country_assessment.pk, status=Status.SUBMITTED).update(
        status=Status.DRAFT,
        submitted_at=None,
        submitted_by=None,
        is_late=False,
        reopened_at=timezone.now(),
        reopened_by=by,
    )
    return bool(updated)
