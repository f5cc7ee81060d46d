"""Functions that change evaluation data."""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_lazy, ngettext
from django.utils.translation import gettext as _

from common.i18n import supported
from common.text import TITLE_MAX
from common.translations import language_codes, translated
from sessions_app.models import Cohort, SessionOccurrence, Workshop

if TYPE_CHECKING:
    from participants.models import Participant

from .models import (
    Answer,
    Completion,
    EvaluationForm,
    EvaluationTemplate,
    FormQuestion,
    Kind,
    QuestionKind,
    Response,
    TemplateQuestion,
    split_lines,
)

NOT_OPEN_YET = gettext_lazy("This evaluation is not open yet, so it cannot take answers.")
CLOSED = gettext_lazy("This evaluation is closed; answers can no longer be given or changed.")
ALREADY_ANSWERED = gettext_lazy("You have already answered this evaluation; a second response is not accepted.")


class EvaluationError(Exception):
    """A rule of evaluations refused the action; the message is meant for the person who tried."""


class FormNotOpen(EvaluationError):
    pass


class AlreadyAnswered(EvaluationError):
    pass


# --- forms -----------------------------------------------------------------------------------------------------


@dataclass
class EnsureResult:
    created: list[EvaluationForm] = field(default_factory=list)
    rescheduled: list[EvaluationForm] = field(default_factory=list)
    missing_templates: set[str] = field(default_factory=set)

    def summary(self) -> str:
        """One sentence for the admin's message and the command's output, in the active language."""
        text = ngettext(
            "%(created)d form created, %(rescheduled)d rescheduled",
            "%(created)d forms created, %(rescheduled)d rescheduled",
            len(self.created),
        ) % {"created": len(self.created), "rescheduled": len(self.rescheduled)}
        if self.missing_templates:
            text += gettext("; no default template for: %(kinds)s") % {
                "kinds": ", ".join(sorted(self.missing_templates))
            }
        return text


def default_templates() -> dict[str, EvaluationTemplate]:
    questions = Prefetch("questions", queryset=TemplateQuestion.objects.select_related("section"))
    return {t.kind: t for t in EvaluationTemplate.objects.filter(is_default=True).prefetch_related(questions)}


def ensure_forms(workshop: Workshop) -> EnsureResult:
    """Create the missing session and course forms of a workshop and keep their opening on schedule.

    Idempotent and cheap when nothing is missing (two queries), so pages may call it before listing forms.
    Forms that follow the schedule open when their occurrence ends — the course form when the group's last
    occurrence ends — and move with the occurrence if its dates change.
    """
    occurrences = list(
        SessionOccurrence.objects.filter(session__workshop=workshop)
        .select_related("session", "cohort")
        .order_by("cohort_id", "starts_at")
    )
    forms = list(EvaluationForm.objects.filter(cohort__workshop=workshop))
    by_occurrence = {f.occurrence_id: f for f in forms if f.occurrence_id}
    course_by_cohort = {f.cohort_id: f for f in forms if f.kind == Kind.COURSE}
    last_end: dict[int, datetime] = {}
    cohorts = {}
    for occurrence in occurrences:
        cohorts[occurrence.cohort_id] = occurrence.cohort
        last_end[occurrence.cohort_id] = max(occurrence.ends_at, last_end.get(occurrence.cohort_id, occurrence.ends_at))

    result = EnsureResult()
    # (kind, cohort, occurrence, opens_at) of forms that do not exist yet
    wanted: list[tuple[str, Cohort, SessionOccurrence | None, datetime]] = []
    for occurrence in occurrences:
        form = by_occurrence.get(occurrence.pk)
        if form is None:
            wanted.append((Kind.SESSION, occurrence.cohort, occurrence, occurrence.ends_at))
        else:
            _follow_schedule(form, occurrence.ends_at, result)
    for cohort_id, cohort in cohorts.items():
        form = course_by_cohort.get(cohort_id)
        if form is None:
            wanted.append((Kind.COURSE, cohort, None, last_end[cohort_id]))
        else:
            _follow_schedule(form, last_end[cohort_id], result)
    if not wanted:
        return result

    templates = default_templates()
    for kind, cohort, of_occurrence, opens_at in wanted:
        template = templates.get(kind)
        if template is None:
            result.missing_templates.add(str(Kind(kind).label))
            continue
        form = _create_form(template, cohort=cohort, occurrence=of_occurrence, opens_at=opens_at, workshop=workshop)
        if form is not None:
            result.created.append(form)
    return result


def _follow_schedule(form: EvaluationForm, opens_at: datetime, result: EnsureResult) -> None:
    if form.follows_schedule and form.opens_at != opens_at:
        form.opens_at = opens_at
        form.save(update_fields=["opens_at"])
        result.rescheduled.append(form)


def form_title(kind: str, occurrence: SessionOccurrence | None, language: str | None = None) -> str:
    """The title a new form gets, in ``language`` (default: the active one), the session's title translated."""
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    with translation.override(language):
        if kind == Kind.SESSION and occurrence is not None:
            session = occurrence.session
            # Read from the row (no query for its workshop): the translation, else the original.
            title = ((session.translations or {}).get(language) or {}).get("title") or session.title
            return (_("Session %(number)s: %(title)s") % {"number": session.number, "title": title})[:TITLE_MAX]
        return _("Course evaluation")


def template_intro(template: EvaluationTemplate, language: str) -> str:
    """The template's introduction written in ``language``, empty when it has none in that language."""
    value = translated(template, "intro", language)
    return "" if value.fell_back else str(value)


def form_texts(template: EvaluationTemplate, kind: str, occurrence: SessionOccurrence | None, workshop) -> dict:
    """A new form's title and intro in the workshop's language and its ``translations`` in every other
    configured language, so each participant reads the form in theirs."""
    source = supported(workshop.language) or settings.LANGUAGE_CODE
    translations = {}
    for language in language_codes():
        if language == source:
            continue
        entry = {"title": form_title(kind, occurrence, language), "intro": template_intro(template, language)}
        translations[language] = {name: text for name, text in entry.items() if text}
    return {
        "title": form_title(kind, occurrence, source),
        "intro": template_intro(template, source) or template.intro,
        "translations": {language: entry for language, entry in translations.items() if entry},
    }


def _create_form(template, *, cohort, occurrence, opens_at, workshop) -> EvaluationForm | None:
    form = EvaluationForm(
        cohort=cohort,
        kind=template.kind,
        occurrence=occurrence,
        template=template,
        **form_texts(template, template.kind, occurrence, workshop),
        is_anonymous=template.is_anonymous,
        opens_at=opens_at,
        open_days=template.open_days,
    )
    try:
        # A savepoint: another request may have created the same form a moment ago (unique constraints).
        with transaction.atomic():
            form.save()
            _copy_questions(template, form)
    except IntegrityError:
        return None
    return form


def snapshot_translations(question: TemplateQuestion) -> dict:
    """The question's and its section's translations as the form keeps them: a French participant reads the
    French wording of the form as it was made, whatever later edits to the template. Options and scale labels
    are kept only when they have one translation per original (their stored values stay the originals)."""
    section = question.section
    languages = {*(question.translations or {}), *(section.translations or {})}
    result = {}
    for language in sorted(languages):
        own = (question.translations or {}).get(language) or {}
        heading = (section.translations or {}).get(language) or {}
        entry = {
            "text": own.get("text", ""),
            "help_text": own.get("help_text", ""),
            "section_title": heading.get("title", ""),
            "section_intro": heading.get("intro", ""),
        }
        choices = split_lines(own.get("choices", ""))
        if choices and len(choices) == len(question.choice_list):
            entry["choices"] = choices
        labels = split_lines(own.get("scale_labels", ""))
        if labels and len(labels) == len(question.scale_label_list):
            entry["scale_labels"] = labels
        entry = {name: value for name, value in entry.items() if value}
        if entry:
            result[language] = entry
    return result


def _copy_questions(template: EvaluationTemplate, form: EvaluationForm) -> None:
    questions = sorted(template.questions.all(), key=lambda q: (q.section.order, q.section_id, q.order, q.pk))
    FormQuestion.objects.bulk_create(
        FormQuestion(
            form=form,
            order=index,
            key=question.key,
            text=question.text,
            help_text=question.help_text,
            kind=question.kind,
            required=question.required,
            section_title=question.section.title,
            section_intro=question.section.intro,
            choices=question.choice_list,
            scale_labels=question.scale_label_list,
            translations=snapshot_translations(question),
        )
        for index, question in enumerate(questions)
    )


@transaction.atomic
def reload_questions(form: EvaluationForm, template: EvaluationTemplate | None = None) -> EvaluationForm:
    """Copy the questions of the template again — only while nobody has answered the form."""
    form = EvaluationForm.objects.select_for_update().get(pk=form.pk)
    template = template or form.template
    if template is None:
        raise EvaluationError(_("“%(form)s” has no template to copy questions from.") % {"form": form})
    if form.responses.exists() or form.completions.exists():
        raise EvaluationError(
            _("“%(form)s” already has responses; its questions cannot change any more.") % {"form": form}
        )
    if template.kind != form.kind:
        raise EvaluationError(
            _("“%(template)s” is a %(kind)s template.")
            % {"template": template, "kind": template.get_kind_display().lower()}
        )
    template = EvaluationTemplate.objects.prefetch_related(
        Prefetch("questions", queryset=TemplateQuestion.objects.select_related("section"))
    ).get(pk=template.pk)
    form.questions.all().delete()
    _copy_questions(template, form)
    form.template = template
    texts = form_texts(template, form.kind, form.occurrence, form.cohort.workshop)
    form.intro = texts["intro"]
    # The title stays (an organizer may have changed it); the intro's translations follow the new template.
    kept = form.translations or {}
    translations = {}
    for language in sorted({*kept, *texts["translations"]}):
        entry = {name: text for name, text in (kept.get(language) or {}).items() if name != "intro"}
        intro = (texts["translations"].get(language) or {}).get("intro")
        if intro:
            entry["intro"] = intro
        if entry:
            translations[language] = entry
    form.translations = translations
    form.is_anonymous = template.is_anonymous
    form.save(update_fields=["template", "intro", "translations", "is_anonymous"])
    return form


def open_now(form: EvaluationForm, now: datetime | None = None) -> EvaluationForm:
    """Open a form before its session ends (or reopen a closed one) for its number of days from now."""
    now = now or timezone.now()
    if form.status(now) == EvaluationForm.Status.OPEN:
        raise EvaluationError(_("This evaluation is already open."))
    form.opens_at = now
    form.follows_schedule = False
    form.save(update_fields=["opens_at", "follows_schedule"])
    return form


# --- answering -------------------------------------------------------------------------------------------------


@dataclass
class Submitted:
    response: Response
    created: bool
    edit_key: str = ""  # anonymous forms: the secret the respondent's browser keeps to change the answers later


def build_answers(questions: Iterable[FormQuestion], values: Mapping[str, Any]) -> list[Answer]:
    """Answer rows for the values of a filled-in form (keyed by question key), checked against the questions."""
    answers = []
    for question in questions:
        value: Any = values.get(question.key)
        empty = value in (None, "", [], ())
        if empty:
            if question.required:
                raise EvaluationError(_("“%(question)s” needs an answer.") % {"question": question.text})
            continue
        if question.kind == QuestionKind.RATING:
            try:
                rating = int(value)
            except (TypeError, ValueError):
                rating = 0
            if not 1 <= rating <= 5:
                raise EvaluationError(_("“%(question)s”: give a rating from 1 to 5.") % {"question": question.text})
            answers.append(Answer(question=question, rating=rating))
        elif question.kind == QuestionKind.SINGLE:
            if value not in question.choices:
                raise EvaluationError(
                    _("“%(question)s”: “%(value)s” is not one of the options.")
                    % {"question": question.text, "value": value}
                )
            answers.append(Answer(question=question, choice=value))
        elif question.kind == QuestionKind.MULTIPLE:
            chosen = [value] if isinstance(value, str) else list(value)
            unknown = [c for c in chosen if c not in question.choices]
            if unknown:
                raise EvaluationError(
                    _("“%(question)s”: “%(value)s” is not one of the options.")
                    % {"question": question.text, "value": unknown[0]}
                )
            answers.extend(Answer(question=question, choice=c) for c in dict.fromkeys(chosen))
        else:
            text = str(value).strip()
            if text:
                answers.append(Answer(question=question, text=text))
            elif question.required:
                raise EvaluationError(_("“%(question)s” needs an answer.") % {"question": question.text})
    return answers


def submit_response(
    form: EvaluationForm, participant, values: Mapping[str, object], *, edit_key: str = "", now=None
) -> Submitted:
    """Save a participant's answers, or replace them if they answered before and may still change them.

    One response per participant per form: the Completion's unique constraint refuses a second one even when two
    submissions race. Anonymous answers are found again only through ``edit_key``, a secret that only the
    respondent's browser holds; without it a second submission is refused.
    """
    status = form.status(now)
    if status == EvaluationForm.Status.UPCOMING:
        raise FormNotOpen(NOT_OPEN_YET)
    if status == EvaluationForm.Status.CLOSED:
        raise FormNotOpen(CLOSED)
    if participant.cohort_id != form.cohort_id or not participant.is_active:
        raise EvaluationError(_("This evaluation is for another group."))
    questions = list(form.questions.all())
    answers = build_answers(questions, values)

    with transaction.atomic():
        completion = (
            Completion.objects.select_for_update().filter(form=form, participant=participant).order_by("pk").first()
        )
        if completion is not None:
            response = _own_response(form, completion, edit_key)
            if response is None:
                raise AlreadyAnswered(ALREADY_ANSWERED)
            response.answers.all().delete()
            _save_answers(response, answers)
            if form.is_anonymous:
                reshuffle_responses(form)
            return Submitted(response=response, created=False, edit_key=edit_key)

        new_key = secrets.token_urlsafe(32) if form.is_anonymous else ""
        response = Response.objects.create(form=form, edit_key_hash=Response.hash_edit_key(new_key) if new_key else "")
        _save_answers(response, answers)
        try:
            with transaction.atomic():
                Completion.objects.create(
                    form=form, participant=participant, response=None if form.is_anonymous else response
                )
        except IntegrityError as exc:
            # Another submission of the same person won the race; leaving the block undoes this one entirely.
            raise AlreadyAnswered(ALREADY_ANSWERED) from exc
        if form.is_anonymous:
            reshuffle_responses(form)
    return Submitted(response=response, created=True, edit_key=new_key)


def record_responses(form: EvaluationForm, entries: Iterable[tuple[Participant | None, Mapping[str, Any]]]) -> int:
    """Store responses given elsewhere (on paper, or the demo's), whatever the form's dates, in bulk.

    ``entries`` are (participant or None, values by question key). Participants who already answered are
    skipped. Returns how many responses were stored.
    """
    questions = list(form.questions.all())
    done = set(form.completions.values_list("participant_id", flat=True))
    responses, answers, completions = [], [], []
    for participant, values in entries:
        if participant is not None and participant.pk in done:
            continue
        response = Response(form=form)
        responses.append(response)
        for answer in build_answers(questions, values):
            answer.response = response
            answers.append(answer)
        if participant is not None:
            done.add(participant.pk)
            completions.append(
                Completion(
                    form=form,
                    participant=participant,
                    response=None if form.is_anonymous else response,
                )
            )
    with transaction.atomic():
        Response.objects.bulk_create(responses, batch_size=1000)
        Answer.objects.bulk_create(answers, batch_size=2000)
        completions.sort(key=lambda c: c.participant_id)
        Completion.objects.bulk_create(completions, batch_size=1000)
        if form.is_anonymous and responses:
            reshuffle_responses(form)
    return len(responses)


def reshuffle_responses(form: EvaluationForm) -> None:
    """Write every response and answer of an anonymous form again, in a random order, in the caller's transaction.

    Random keys alone do not hide who answered: the database still keeps rows in the order they came (SQLite's
    rowid, PostgreSQL's physical order) and stamps each with the transaction that wrote it (PostgreSQL's xmin),
    which is also the transaction that wrote the respondent's Completion. Rewritten together, a form's responses
    all carry the latest transaction and sit in an order that says nothing about who came when. Costs a few
    queries and rows of one form only: a group's responses, never the whole table.
    """
    if not form.is_anonymous:
        raise EvaluationError(_("Only the responses of an anonymous form are shuffled."))
    rng = secrets.SystemRandom()
    responses = list(Response.objects.filter(form=form).order_by())
    if len(responses) < 2:
        return
    answers = list(Answer.objects.filter(response__form=form).order_by())
    rng.shuffle(responses)
    rng.shuffle(answers)
    Answer.objects.filter(response__form=form).delete()
    # Anonymous forms have no completion pointing at a response, so this deletes nothing else.
    Response.objects.filter(form=form).delete()
    Response.objects.bulk_create(responses, batch_size=1000)
    Answer.objects.bulk_create(answers, batch_size=2000)


def _own_response(form: EvaluationForm, completion: Completion, edit_key: str) -> Response | None:
    if not form.is_anonymous:
        return completion.response
    if not edit_key:
        return None
    return Response.objects.filter(form=form, edit_key_hash=Response.hash_edit_key(edit_key)).first()


def _save_answers(response: Response, answers: list[Answer]) -> None:
    for answer in answers:
        answer.response = response
    Answer.objects.bulk_create(answers)


# --- templates -----------------------------------------------------------------------------------------------------


@transaction.atomic
def duplicate_template(template: EvaluationTemplate) -> EvaluationTemplate:
    """A copy to adapt (never the default), with its sections and questions."""
    from .models import TemplateSection

    base = f"{template.key}-copy"
    key, n = base, 1
    while EvaluationTemplate.objects.filter(key=key).exists():
        n += 1
        key = f"{base}-{n}"
    copy = EvaluationTemplate.objects.create(
        key=key,
        name=f"{template.name} (copy)",
        kind=template.kind,
        is_default=False,
        is_anonymous=template.is_anonymous,
        intro=template.intro,
        open_days=template.open_days,
    )
    for section in template.sections.prefetch_related("questions"):
        new_section = TemplateSection.objects.create(
            template=copy,
            order=section.order,
            title=section.title,
            intro=section.intro,
            translations=section.translations,
        )
        TemplateQuestion.objects.bulk_create(
            TemplateQuestion(
                template=copy,
                section=new_section,
                order=q.order,
                key=q.key,
                text=q.text,
                help_text=q.help_text,
                kind=q.kind,
                required=q.required,
                choices=q.choices,
                scale_labels=q.scale_labels,
                translations=q.translations,
            )
            for q in section.questions.all()
        )
    return copy
