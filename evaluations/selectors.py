"""Functions that read evaluations. The first three are what other apps (reminders, the live console) call."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from .models import Answer, Completion, EvaluationForm, Kind, Response


def participant_ids_responded(form: EvaluationForm, participant_ids: Iterable[int]) -> set[int]:
    """Which of these participants have answered the form (anonymous or not) — e.g. to remind only the others."""
    ids = list(participant_ids)
    if not ids:
        return set()
    return set(Completion.objects.filter(form=form, participant_id__in=ids).values_list("participant_id", flat=True))


def form_for_occurrence(occurrence) -> EvaluationForm | None:
    """The evaluation form of one session occurrence, if it has been created (see services.ensure_forms)."""
    return (
        EvaluationForm.objects.select_related("cohort__workshop", "occurrence__session")
        .filter(occurrence=occurrence)
        .first()
    )


def course_form_for(cohort) -> EvaluationForm | None:
    """The course evaluation form of a group, if it has been created."""
    return EvaluationForm.objects.select_related("cohort__workshop").filter(cohort=cohort, kind=Kind.COURSE).first()


def form_with_questions(pk: int) -> EvaluationForm | None:
    form = (
        EvaluationForm.objects.select_related("cohort__workshop", "occurrence__session", "occurrence__cohort")
        .filter(pk=pk)
        .first()
    )
    if form is not None:
        # Read once and kept: the page, the form class and the answer check all use the same list.
        form.question_list = list(form.questions.all())
    return form


@dataclass
class ParticipantEvaluation:
    form: EvaluationForm
    status: str
    answered: bool

    @property
    def needs_answer(self) -> bool:
        return self.status == EvaluationForm.Status.OPEN and not self.answered


def participant_evaluations(participant) -> list[ParticipantEvaluation]:
    """Every form of the participant's group, with whether they have answered it; open ones first."""
    now = timezone.now()
    forms = list(
        EvaluationForm.objects.filter(cohort_id=participant.cohort_id)
        .select_related("occurrence__session", "cohort__workshop")
        .annotate(answered=Exists(Completion.objects.filter(form=OuterRef("pk"), participant=participant)))
        .order_by("opens_at", "-kind", "pk")
    )
    rows = [ParticipantEvaluation(form, form.status(now), form.answered) for form in forms]
    order = {EvaluationForm.Status.OPEN: 0, EvaluationForm.Status.UPCOMING: 1, EvaluationForm.Status.CLOSED: 2}
    # Open forms first; closed ones most recent first.
    rows.sort(key=lambda r: (order[r.status], -r.form.opens_at.timestamp() if r.status == "closed" else 0))
    return rows


def has_answered(form: EvaluationForm, participant) -> bool:
    return Completion.objects.filter(form=form, participant=participant).exists()


def own_response(form: EvaluationForm, participant, edit_key: str = "") -> Response | None:
    """The participant's own response, if the portal can find it: through the completion on a named form, through
    the secret kept in their browser on an anonymous one."""
    completion = Completion.objects.filter(form=form, participant=participant).select_related("response").first()
    if completion is None:
        return None
    if not form.is_anonymous:
        return completion.response
    if not edit_key:
        return None
    return Response.objects.filter(form=form, edit_key_hash=Response.hash_edit_key(edit_key)).first()


@dataclass
class AnswerState:
    """Where a participant stands with one form."""

    status: str
    answered: bool
    own: Response | None  # their response, when the portal can find it

    @property
    def editable(self) -> bool:
        """Open, and either not answered yet or answered in a way they may change."""
        return self.status == EvaluationForm.Status.OPEN and (not self.answered or self.own is not None)


def answer_state(form: EvaluationForm, participant, edit_key: str = "") -> AnswerState:
    answered = has_answered(form, participant)
    own = own_response(form, participant, edit_key) if answered else None
    return AnswerState(status=form.status(), answered=answered, own=own)


def response_values(response: Response) -> dict[str, object]:
    """A response's answers keyed by question key, as the answer form takes them as initial values."""
    values: dict[str, object] = {}
    for answer in Answer.objects.filter(response=response).select_related("question"):
        question = answer.question
        if question.is_rating:
            values[question.key] = str(answer.rating)
        elif question.kind == "multiple":
            chosen = values.setdefault(question.key, [])
            chosen.append(answer.choice)
            chosen.sort(key=lambda c: question.choices.index(c) if c in question.choices else len(question.choices))
        elif question.is_choice:
            values[question.key] = answer.choice
        else:
            values[question.key] = answer.text
    return values


def session_page_forms(occurrence, participant=None) -> list[EvaluationForm]:
    """The occurrence's form and, on the group's last session (whose closing remarks announce it), the course form,
    each with ``answered``: whether this participant has answered it. One query, whatever the programme.
    """
    later = type(occurrence).objects.filter(cohort_id=occurrence.cohort_id, starts_at__gt=occurrence.starts_at)
    answered = Completion.objects.filter(form=OuterRef("pk"), participant_id=getattr(participant, "pk", None))
    forms = (
        EvaluationForm.objects.filter(Q(occurrence=occurrence) | Q(cohort_id=occurrence.cohort_id, kind=Kind.COURSE))
        .annotate(has_later_sessions=Exists(later), answered=Exists(answered))
        .select_related("cohort")
        .order_by("-kind")
    )
    return [form for form in forms if form.kind == Kind.SESSION or not form.has_later_sessions]
