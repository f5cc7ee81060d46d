"""Session and course evaluations.

An organizer edits *templates* (sections of questions) in the admin. Each session occurrence and each group's
course gets an *EvaluationForm* made from a template: the questions are copied into the form (FormQuestion), so
editing a template later never changes a form people have already answered.

Answers of an anonymous form are stored with no link to their author: a Response has a random UUID key, no date
and no relation to a person; its Answers have random UUID keys too. The separate Completion record ("this
participant has answered this form", with no moment either) is what stops a second response and lets the portal
remind only those who have not answered. Each time an anonymous form takes a new response, all of its responses
and answers are written again in a random order (services.reshuffle_responses), so neither row order, the
database's own row numbers nor its transaction ids pair a response with a completion. On a named form the
Completion also points at the Response.
"""

from __future__ import annotations

import hashlib
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from common.text import MESSAGE_MAX, TEXT_MAX, TITLE_MAX, LongTextField, ShortTextField
from common.translations import TranslationsField

RATING_MIN = 1
RATING_MAX = 5
DEFAULT_SCALE_LABELS = [_("Very poor"), _("Poor"), _("Fair"), _("Good"), _("Excellent")]


def default_open_days() -> int:
    return settings.EVALUATIONS_OPEN_DAYS


class Kind(models.TextChoices):
    """What a template or form evaluates."""

    SESSION = "session", _("Session")
    COURSE = "course", _("Whole course")


class QuestionKind(models.TextChoices):
    RATING = "rating", _("Rating 1–5")
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    TEXT = "text", _("Free text")


def split_lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def validate_question_options(kind: str, choices: list[str], scale_labels: list[str]) -> dict[str, str]:
    """The errors of a question's options, keyed by field; shared by templates, forms and the templates file."""
    errors = {}
    if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        if len(choices) < 2:
            errors["choices"] = _("A choice question needs at least two options, one per line.")
        elif len(set(choices)) != len(choices):
            errors["choices"] = _("Each option must be different.")
    elif choices:
        errors["choices"] = _("Only choice questions have options.")
    if kind == QuestionKind.RATING:
        if scale_labels and len(scale_labels) != RATING_MAX - RATING_MIN + 1:
            errors["scale_labels"] = _("Give five labels, one per line, from 1 (lowest) to 5 (highest), or none.")
    elif scale_labels:
        errors["scale_labels"] = _("Only rating questions have scale labels.")
    return errors


class EvaluationTemplate(models.Model):
    TRANSLATABLE_FIELDS = ("name", "intro")
    translations = TranslationsField()
    key = models.SlugField(
        _("key"), unique=True, help_text=_("Stable name used by the templates file, e.g. “session”.")
    )
    name = ShortTextField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.SESSION)
    is_default = models.BooleanField(
        _("default for its kind"),
        default=False,
        help_text=_("New forms of this kind are made from this template. One default per kind."),
    )
    is_anonymous = models.BooleanField(
        _("anonymous"),
        default=True,
        help_text=_("Anonymous forms store answers with no link to the person who gave them."),
    )
    intro = LongTextField(
        _("introduction"), blank=True, max_length=TEXT_MAX, help_text=_("Shown at the top of the form.")
    )
    open_days = models.PositiveSmallIntegerField(
        _("days open"),
        default=default_open_days,
        validators=[MinValueValidator(1)],
        help_text=_("How many days a form stays open after it opens."),
    )
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("evaluation template")
        verbose_name_plural = _("evaluation templates")
        constraints = [
            models.UniqueConstraint(
                fields=["kind"],
                condition=Q(is_default=True),
                name="evaluation_template_one_default",
                violation_error_message=_("Another template is already the default for this kind; untick it first."),
            ),
            models.CheckConstraint(condition=Q(open_days__gte=1), name="evaluation_template_open_days_positive"),
        ]

    def __str__(self):
        return self.name


class TemplateSection(models.Model):
    TRANSLATABLE_FIELDS = ("title", "intro")
    translations = TranslationsField()
    template = models.ForeignKey(
        EvaluationTemplate, on_delete=models.CASCADE, related_name="sections", verbose_name=_("template")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title = ShortTextField(_("title"), max_length=200)
    intro = LongTextField(_("introduction"), blank=True, max_length=TEXT_MAX)

    class Meta:
        ordering = ["template", "order", "pk"]
        verbose_name = _("template section")
        verbose_name_plural = _("template sections")
        constraints = [
            models.UniqueConstraint(fields=["template", "title"], name="template_section_unique_title"),
        ]

    def __str__(self):
        return f"{self.template} · {self.title}"


class QuestionFields(models.Model):
    """What a question is; shared by template questions and the copies in forms."""

    order = models.PositiveSmallIntegerField(_("order"), default=0)
    key = models.SlugField(
        _("key"),
        max_length=60,
        help_text=_("Stable name; questions with the same key are compared across sessions."),
    )
    text = ShortTextField(_("text"), max_length=TITLE_MAX)
    help_text = ShortTextField(_("help text"), max_length=300, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=QuestionKind.choices, default=QuestionKind.RATING)
    required = models.BooleanField(_("required"), default=True)

    class Meta:
        abstract = True

    def __str__(self):
        return self.text


class TemplateQuestion(QuestionFields):
    TRANSLATABLE_FIELDS = ("text", "help_text", "choices", "scale_labels")
    translations = TranslationsField()
    template = models.ForeignKey(
        EvaluationTemplate,
        on_delete=models.CASCADE,
        related_name="questions",
        editable=False,
        verbose_name=_("template"),
    )
    section = models.ForeignKey(
        TemplateSection, on_delete=models.CASCADE, related_name="questions", verbose_name=_("section")
    )
    choices = LongTextField(
        _("options"), blank=True, max_length=TEXT_MAX, help_text=_("Choice questions: one option per line.")
    )
    scale_labels = LongTextField(
        _("scale labels"),
        max_length=TEXT_MAX,
        blank=True,
        help_text=_("Rating questions: five labels, one per line, from 1 to 5. Empty: Very poor … Excellent."),
    )

    class Meta:
        ordering = ["template", "section__order", "section", "order", "pk"]
        verbose_name = _("template question")
        verbose_name_plural = _("template questions")
        constraints = [
            models.UniqueConstraint(
                fields=["template", "key"],
                name="template_question_unique_key",
                violation_error_message=_("Another question of this template has this key."),
            ),
        ]

    def save(self, *args, **kwargs):
        # The template follows from the section; it is stored so the database can keep keys unique per template.
        self.template_id = self.section.template_id
        super().save(*args, **kwargs)

    @property
    def choice_list(self) -> list[str]:
        return split_lines(self.choices)

    @property
    def scale_label_list(self) -> list[str]:
        return split_lines(self.scale_labels)

    def clean(self):
        errors = validate_question_options(self.kind, self.choice_list, self.scale_label_list)
        if self.section_id and self.key:
            clash = TemplateQuestion.objects.filter(section__template_id=self.section.template_id, key=self.key)
            if clash.exclude(pk=self.pk).exists():
                errors["key"] = _("Another question of this template has this key.")
        if errors:
            raise ValidationError(errors)


class EvaluationForm(models.Model):
    """The questionnaire of one session occurrence, or of a group's whole course.

    Its title and introduction are written in the workshop's language; ``translations`` holds them in the other
    languages (filled when the form is made, edited side by side in the admin)."""

    TRANSLATABLE_FIELDS = ("title", "intro")
    TRANSLATION_SOURCE = "cohort__workshop"

    class Status(models.TextChoices):
        UPCOMING = "upcoming", _("Not open yet")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    cohort = models.ForeignKey(
        "sessions_app.Cohort", on_delete=models.CASCADE, related_name="evaluation_forms", verbose_name=_("group")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    occurrence = models.ForeignKey(
        "sessions_app.SessionOccurrence",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="evaluation_forms",
        verbose_name=_("session"),
        help_text=_("The session this form evaluates; empty for the course form."),
    )
    template = models.ForeignKey(
        EvaluationTemplate,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="forms",
        verbose_name=_("template"),
        help_text=_("Where the questions were copied from. Editing the template does not change this form."),
    )
    title = ShortTextField(_("title"), max_length=TITLE_MAX)
    intro = LongTextField(_("introduction"), blank=True, max_length=TEXT_MAX)
    translations = TranslationsField()
    is_anonymous = models.BooleanField(_("anonymous"), default=True)
    opens_at = models.DateTimeField(_("opens at"), help_text=_("Participants can answer from this moment."))
    open_days = models.PositiveSmallIntegerField(
        _("days open"), default=default_open_days, validators=[MinValueValidator(1)]
    )
    closes_at = models.DateTimeField(_("closes at"), editable=False, help_text=_("Opening plus the days open."))
    follows_schedule = models.BooleanField(
        _("opens when the session ends"),
        default=True,
        help_text=_(
            "Keep the opening at the end of the session (or of the group's last session) when dates change. "
            "Opening a form early turns this off."
        ),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["cohort", "-kind", "occurrence__starts_at"]  # sessions in time order, then the course
        verbose_name = _("evaluation form")
        verbose_name_plural = _("evaluation forms")
        constraints = [
            models.UniqueConstraint(
                fields=["occurrence"], condition=Q(occurrence__isnull=False), name="evaluation_form_one_per_occurrence"
            ),
            models.UniqueConstraint(
                fields=["cohort"], condition=Q(kind="course"), name="evaluation_form_one_course_form_per_group"
            ),
            models.CheckConstraint(
                condition=(Q(kind="session") & Q(occurrence__isnull=False))
                | (Q(kind="course") & Q(occurrence__isnull=True)),
                name="evaluation_form_session_forms_have_an_occurrence",
            ),
            models.CheckConstraint(condition=Q(closes_at__gt=F("opens_at")), name="evaluation_form_closes_after_open"),
        ]

    def __str__(self):
        return f"{self.title} · {self.cohort.name}"

    def save(self, *args, **kwargs):
        if self.opens_at is not None and self.open_days:
            self.closes_at = self.opens_at + timedelta(days=self.open_days)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"opens_at", "open_days"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "closes_at"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("evaluations:form", args=[self.pk])

    def clean(self):
        errors = {}
        if self.kind == Kind.SESSION and not self.occurrence_id:
            errors["occurrence"] = _("A session form evaluates one session occurrence.")
        if self.kind == Kind.COURSE and self.occurrence_id:
            errors["occurrence"] = _("The course form is not about one session; leave this empty.")
        if self.occurrence_id and self.cohort_id and self.occurrence.cohort_id != self.cohort_id:
            errors["occurrence"] = _("This occurrence belongs to another group.")
        if errors:
            raise ValidationError(errors)

    def status(self, now=None) -> str:
        now = now or timezone.now()
        if now < self.opens_at:
            return self.Status.UPCOMING
        if now >= self.closes_at:
            return self.Status.CLOSED
        return self.Status.OPEN

    @property
    def current_status(self) -> str:
        return self.status()

    @property
    def is_open(self) -> bool:
        return self.status() == self.Status.OPEN

    @property
    def session_number(self) -> int | None:
        return self.occurrence.session.number if self.occurrence_id else None


class FormQuestion(QuestionFields):
    """A question as it was copied into one form."""

    TRANSLATABLE_FIELDS = ("text", "help_text", "section_title", "section_intro", "choices", "scale_labels")
    translations = TranslationsField()
    form = models.ForeignKey(EvaluationForm, on_delete=models.CASCADE, related_name="questions", verbose_name=_("form"))
    section_title = ShortTextField(_("section title"), max_length=200, blank=True)
    section_intro = LongTextField(_("section introduction"), blank=True, max_length=TEXT_MAX)
    choices = models.JSONField(_("options"), default=list, blank=True)
    scale_labels = models.JSONField(_("scale labels"), default=list, blank=True)

    class Meta:
        ordering = ["form", "order", "pk"]
        verbose_name = _("form question")
        verbose_name_plural = _("form questions")
        constraints = [
            models.UniqueConstraint(
                fields=["form", "key"],
                name="form_question_unique_key",
                violation_error_message=_("Another question of this form has this key."),
            )
        ]

    @property
    def labels(self) -> list[str]:
        """The five labels of a rating question, 1 first."""
        return list(self.scale_labels) or DEFAULT_SCALE_LABELS

    @property
    def is_rating(self) -> bool:
        return self.kind == QuestionKind.RATING

    @property
    def is_choice(self) -> bool:
        return self.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE)

    @property
    def is_text(self) -> bool:
        return self.kind == QuestionKind.TEXT

    def clean(self):
        choices = self.choices if isinstance(self.choices, list) else []
        labels = self.scale_labels if isinstance(self.scale_labels, list) else []
        errors = validate_question_options(self.kind, choices, labels)
        if errors:
            raise ValidationError(errors)


class Response(models.Model):
    """One set of answers to a form. No field links it to a person; see the module docstring."""

    # Random keys: the order of rows says nothing about who answered first. No date either: even a day can be
    # matched with the day someone was seen answering.
    id = models.UUIDField(_("ID"), primary_key=True, default=uuid.uuid4, editable=False)
    form = models.ForeignKey(EvaluationForm, on_delete=models.PROTECT, related_name="responses", verbose_name=_("form"))
    edit_key_hash = models.CharField(
        _("edit key hash"),
        max_length=64,
        blank=True,
        editable=False,
        help_text=_("Hash of a secret kept only in the respondent's browser, so they can change an anonymous answer."),
    )

    class Meta:
        ordering = ["form", "id"]  # the random key: no order of arrival
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        indexes = [
            models.Index(fields=["form", "edit_key_hash"], name="evaluation_response_edit_key"),
            # Exports read one form's responses in key order; without this PostgreSQL may walk every response.
            models.Index(fields=["form", "id"], name="evaluation_response_form_id"),
        ]

    def __str__(self):
        return gettext("Response to %(form)s") % {"form": self.form.title}

    @staticmethod
    def hash_edit_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()


class Answer(models.Model):
    """One answer: a rating, one chosen option (a multiple choice has one row per option) or a text."""

    id = models.UUIDField(_("ID"), primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers", verbose_name=_("response"))
    question = models.ForeignKey(
        FormQuestion, on_delete=models.PROTECT, related_name="answers", verbose_name=_("question")
    )
    rating = models.PositiveSmallIntegerField(
        _("rating"),
        null=True,
        blank=True,
        validators=[MinValueValidator(RATING_MIN), MaxValueValidator(RATING_MAX)],
    )
    choice = ShortTextField(_("choice"), max_length=300, blank=True)
    text = LongTextField(_("text"), blank=True, max_length=MESSAGE_MAX)

    class Meta:
        ordering = ["question__order", "choice"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        indexes = [models.Index(fields=["question", "id"], name="evaluation_answer_question_id")]
        constraints = [
            models.UniqueConstraint(fields=["response", "question", "choice"], name="answer_unique_per_question"),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=RATING_MIN, rating__lte=RATING_MAX),
                name="answer_rating_in_scale",
            ),
        ]

    def __str__(self):
        return f"{self.question.key}: {self.display_value}"

    @property
    def display_value(self) -> str:
        if self.rating is not None:
            return str(self.rating)
        return self.choice or self.text

    def clean(self):
        if not self.question_id:
            return
        question = self.question
        try:
            response_form_id = self.response.form_id  # also set on a response being added with its answers
        except Response.DoesNotExist:
            response_form_id = None
        if response_form_id and question.form_id != response_form_id:
            raise ValidationError({"question": _("This question belongs to another form.")})
        if question.is_rating and self.rating is None:
            raise ValidationError({"rating": _("Give a rating from 1 to 5.")})
        if question.is_choice and self.choice not in question.choices:
            raise ValidationError({"choice": _("Pick one of: %(options)s.") % {"options": ", ".join(question.choices)}})
        if question.is_text and not self.text.strip():
            raise ValidationError({"text": _("Write the answer.")})
        extra = {
            "rating": self.rating is not None and not question.is_rating,
            "choice": bool(self.choice) and not question.is_choice,
            "text": bool(self.text) and not question.is_text,
        }
        wrong = [name for name, present in extra.items() if present]
        if wrong:
            raise ValidationError({name: _("This question does not take this kind of answer.") for name in wrong})


class Completion(models.Model):
    """That a participant has answered a form — and, for a named form only, which response is theirs. Never when."""

    form = models.ForeignKey(
        EvaluationForm, on_delete=models.PROTECT, related_name="completions", verbose_name=_("form")
    )
    participant = models.ForeignKey(
        "participants.Participant",
        on_delete=models.CASCADE,
        related_name="evaluation_completions",
        verbose_name=_("participant"),
    )
    response = models.OneToOneField(
        Response,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="completion",
        verbose_name=_("response"),
        help_text=_("Named forms only. Anonymous forms never record which response is whose."),
    )
    # No moment of answering: it could be matched with the responses' order or a response's arrival.

    class Meta:
        ordering = ["form", "participant"]
        verbose_name = _("completion")
        verbose_name_plural = _("completions")
        constraints = [
            models.UniqueConstraint(
                fields=["form", "participant"],
                name="completion_one_per_participant_and_form",
                violation_error_message=_("This participant has already answered this form."),
            ),
        ]

    def __str__(self):
        return gettext("%(participant)s answered %(form)s") % {"participant": self.participant, "form": self.form.title}

    def clean(self):
        errors = {}
        if self.form_id and self.participant_id and self.participant.cohort_id != self.form.cohort_id:
            errors["participant"] = _("This participant is in another group.")
        if self.form_id and self.response_id:
            if self.form.is_anonymous:
                errors["response"] = _("An anonymous form never records whose response is which.")
            elif self.response.form_id != self.form_id:
                errors["response"] = _("This response belongs to another form.")
        if errors:
            raise ValidationError(errors)
