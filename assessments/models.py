"""The Digital Transformation Capability Assessment (DTCA), as data.

An Instrument (one version of a questionnaire) holds Dimensions of Statements
and a 1–5 rating scale plus "don't know". A workshop uses one instrument
through its AssessmentRun. Each participant fills in an IndividualAssessment;
the participants of one country in one group (the country team) then agree a
CountryAssessment. Once anyone has answered a version of an instrument, that
version is frozen: answers must keep meaning what their respondents read.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from common.text import LONG_TEXT_MAX, NOTE_MAX, TEXT_MAX, LongTextField, ShortTextField
from common.translations import TranslationsField

SCALE_MIN = 1
SCALE_MAX = 5
DONT_KNOW = "dk"

FROZEN_MESSAGE = _(
    "Version {version} of this instrument already has answers, so it can no longer be changed. "
    "Use “Make a new version” on the instrument to edit a copy."
)


class Instrument(models.Model):
    TRANSLATABLE_FIELDS = ("name", "introduction", "dont_know_label")
    translations = TranslationsField()
    key = models.SlugField(
        _("key"), max_length=60, help_text=_("Stable name shared by every version of this questionnaire, e.g. dtca.")
    )
    version = models.PositiveSmallIntegerField(_("version"), default=1, validators=[MinValueValidator(1)])
    name = ShortTextField(_("name"), max_length=200)
    adapted_from = LongTextField(
        _("adapted from"),
        max_length=NOTE_MAX,
        blank=True,
        help_text=_("Where the questionnaire comes from; shown to respondents on the assessment's pages."),
    )
    introduction = LongTextField(
        _("introduction"),
        blank=True,
        max_length=LONG_TEXT_MAX,
        help_text=_("Instructions shown before the first question."),
    )
    dont_know_label = models.CharField(_("“don't know” label"), max_length=60, default="Don't know")
    previous_version = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="next_versions",
        editable=False,
        verbose_name=_("previous version"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["key", "-version"]
        verbose_name = _("instrument")
        verbose_name_plural = _("instruments")
        constraints = [
            models.UniqueConstraint(fields=["key", "version"], name="instrument_unique_key_version"),
            models.CheckConstraint(condition=Q(version__gte=1), name="instrument_version_positive"),
        ]

    def __str__(self):
        return gettext("%(name)s (version %(version)s)") % {"name": self.name, "version": self.version}

    def has_answers(self) -> bool:
        if not self.pk:
            return False
        return (
            Answer.objects.filter(statement__dimension__instrument=self).exists()
            or CountryAnswer.objects.filter(statement__dimension__instrument=self).exists()
        )

    def check_editable(self):
        if self.has_answers():
            raise ValidationError(FROZEN_MESSAGE.format(version=self.version))

    def clean(self):
        if self.pk:
            self.check_editable()


class ScaleLevel(models.Model):
    TRANSLATABLE_FIELDS = ("label", "description")
    translations = TranslationsField()
    instrument = models.ForeignKey(
        Instrument, on_delete=models.CASCADE, related_name="scale_levels", verbose_name=_("instrument")
    )
    value = models.PositiveSmallIntegerField(
        _("value"), validators=[MinValueValidator(SCALE_MIN), MaxValueValidator(SCALE_MAX)]
    )
    label = models.CharField(
        _("label"),
        max_length=80,
        help_text=_("e.g. “Not in place” for 1, “Fully in place and sustained” for 5."),
    )
    description = models.CharField(_("description"), max_length=300, blank=True)

    class Meta:
        ordering = ["instrument", "value"]
        verbose_name = _("scale level")
        verbose_name_plural = _("scale levels")
        constraints = [
            models.UniqueConstraint(fields=["instrument", "value"], name="scale_level_unique_value"),
            models.CheckConstraint(
                condition=Q(value__gte=SCALE_MIN) & Q(value__lte=SCALE_MAX), name="scale_level_value_in_range"
            ),
        ]

    def __str__(self):
        return f"{self.value} · {self.label}"

    def clean(self):
        if self.instrument_id:
            self.instrument.check_editable()


class Dimension(models.Model):
    TRANSLATABLE_FIELDS = ("name", "description")
    translations = TranslationsField()
    instrument = models.ForeignKey(
        Instrument, on_delete=models.CASCADE, related_name="dimensions", verbose_name=_("instrument")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0, help_text=_("Position in the questionnaire."))
    name = ShortTextField(_("name"), max_length=120)
    description = LongTextField(_("description"), blank=True, max_length=TEXT_MAX)

    # Not a field: the statements in order, set by ``selectors.instrument_structure``.
    statement_list: "list[Statement]"

    class Meta:
        ordering = ["instrument", "order", "pk"]
        verbose_name = _("dimension")
        verbose_name_plural = _("dimensions")
        constraints = [
            models.UniqueConstraint(fields=["instrument", "order"], name="dimension_unique_order"),
            models.UniqueConstraint(fields=["instrument", "name"], name="dimension_unique_name"),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.instrument_id:
            self.instrument.check_editable()


class Statement(models.Model):
    TRANSLATABLE_FIELDS = ("text",)
    translations = TranslationsField()
    dimension = models.ForeignKey(
        Dimension, on_delete=models.CASCADE, related_name="statements", verbose_name=_("dimension")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0, help_text=_("Position within the dimension."))
    text = LongTextField(_("text"), max_length=NOTE_MAX)

    class Meta:
        ordering = ["dimension__instrument_id", "dimension__order", "order", "pk"]
        verbose_name = _("statement")
        verbose_name_plural = _("statements")
        constraints = [models.UniqueConstraint(fields=["dimension", "order"], name="statement_unique_order")]

    def __str__(self):
        return f"{self.dimension.name}: {self.text[:80]}"

    def clean(self):
        if self.dimension_id:
            self.dimension.instrument.check_editable()


class AssessmentRun(models.Model):
    """How one workshop uses the assessment: which instrument, and who may see the group view."""

    workshop = models.OneToOneField(
        "sessions_app.Workshop", on_delete=models.CASCADE, related_name="assessment_run", verbose_name=_("workshop")
    )
    instrument = models.ForeignKey(
        Instrument, on_delete=models.PROTECT, related_name="runs", verbose_name=_("instrument")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("assessment run")
        verbose_name_plural = _("assessment runs")

    def __str__(self):
        return f"{self.instrument.name} · {self.workshop.slug}"

    def has_responses(self) -> bool:
        return self.individual_assessments.exists() or self.country_assessments.exists()

    def clean(self):
        if not self.pk or not self.instrument_id:
            return
        stored = AssessmentRun.objects.filter(pk=self.pk).values_list("instrument_id", flat=True).first()
        if stored != self.instrument_id and self.has_responses():
            raise ValidationError(
                {
                    "instrument": _(
                        "Participants have already answered this workshop's assessment; "
                        "changing the instrument now would make their answers incomparable."
                    )
                }
            )


class GroupViewRelease(models.Model):
    """A group whose participants may see their group's comparison (facilitators decide when)."""

    run = models.ForeignKey(
        AssessmentRun, on_delete=models.CASCADE, related_name="releases", verbose_name=_("assessment run")
    )
    cohort = models.ForeignKey(
        "sessions_app.Cohort", on_delete=models.CASCADE, related_name="dtca_releases", verbose_name=_("group")
    )
    released_at = models.DateTimeField(_("released at"), auto_now_add=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("released by"),
    )

    class Meta:
        ordering = ["run", "cohort__name"]
        verbose_name = _("group view shown to participants")
        verbose_name_plural = _("group views shown to participants")
        constraints = [models.UniqueConstraint(fields=["run", "cohort"], name="release_unique_run_cohort")]

    def __str__(self):
        return gettext("%(group)s may see the group view") % {"group": self.cohort.name}

    def clean(self):
        if self.run_id and self.cohort_id and self.run.workshop_id != self.cohort.workshop_id:
            raise ValidationError({"cohort": _("This group belongs to another workshop.")})


class Confidence(models.TextChoices):
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")


class AnswerFields(models.Model):
    """One rating of one statement: a score from 1 to 5 or "don't know", with confidence and evidence."""

    statement = models.ForeignKey(Statement, on_delete=models.PROTECT, related_name="+", verbose_name=_("statement"))
    score = models.PositiveSmallIntegerField(
        _("score"), null=True, blank=True, validators=[MinValueValidator(SCALE_MIN), MaxValueValidator(SCALE_MAX)]
    )
    dont_know = models.BooleanField(_("don't know"), default=False)
    confidence = models.CharField(_("confidence"), max_length=6, choices=Confidence.choices, blank=True)
    note = LongTextField(_("evidence note"), blank=True, max_length=NOTE_MAX)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=Q(score__isnull=True) | (Q(score__gte=SCALE_MIN) & Q(score__lte=SCALE_MAX)),
                name="%(app_label)s_%(class)s_score_in_range",
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(dont_know=False),
                name="%(app_label)s_%(class)s_score_or_dont_know",
            ),
        ]

    @property
    def is_answered(self) -> bool:
        return self.score is not None or self.dont_know

    @property
    def value(self) -> str:
        """The answer as the forms carry it: "1" to "5", "dk" or ""."""
        if self.dont_know:
            return DONT_KNOW
        return str(self.score) if self.score is not None else ""


class IndividualAssessment(models.Model):
    run = models.ForeignKey(
        AssessmentRun,
        on_delete=models.PROTECT,
        related_name="individual_assessments",
        verbose_name=_("assessment run"),
    )
    participant = models.ForeignKey(
        "participants.Participant",
        on_delete=models.PROTECT,
        related_name="dtca_assessments",
        verbose_name=_("participant"),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    is_late = models.BooleanField(
        _("late"), default=False, help_text=_("Submitted after the due moment of the group's task.")
    )
    reopened_at = models.DateTimeField(_("reopened at"), null=True, blank=True)
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("reopened by"),
    )

    class Meta:
        ordering = ["run", "participant__cohort__name", "participant__country__name", "participant__user__last_name"]
        verbose_name = _("individual assessment")
        verbose_name_plural = _("individual assessments")
        constraints = [
            models.UniqueConstraint(fields=["run", "participant"], name="individual_assessment_unique"),
            models.CheckConstraint(
                condition=(Q(status="submitted") & Q(submitted_at__isnull=False))
                | (Q(status="draft") & Q(submitted_at__isnull=True)),
                name="individual_assessment_submitted_has_time",
            ),
            models.CheckConstraint(
                condition=Q(is_late=False) | Q(status="submitted"), name="individual_assessment_late_if_submitted"
            ),
        ]

    def __str__(self):
        person = {"person": self.participant.user}
        if self.status == Status.SUBMITTED:
            return gettext("Submitted DTCA of %(person)s") % person
        return gettext("Draft DTCA of %(person)s") % person

    def get_absolute_url(self):
        return reverse("dtca:response", args=[self.pk])

    @property
    def is_submitted(self) -> bool:
        return self.status == Status.SUBMITTED

    def clean(self):
        if self.run_id and self.participant_id and self.run.workshop_id != self.participant.cohort.workshop_id:
            raise ValidationError({"participant": _("This participant is enrolled in another workshop.")})


class Answer(AnswerFields):
    assessment = models.ForeignKey(
        IndividualAssessment, on_delete=models.CASCADE, related_name="answers", verbose_name=_("assessment")
    )

    class Meta(AnswerFields.Meta):
        ordering = ["assessment", "statement__dimension__order", "statement__order"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            *AnswerFields.Meta.constraints,
            models.UniqueConstraint(fields=["assessment", "statement"], name="answer_unique_statement"),
        ]

    def __str__(self):
        return f"{self.statement} → {self.value or '—'}"


class CountryAssessment(models.Model):
    """The assessment a country team (the participants of one country in one group) agrees together."""

    run = models.ForeignKey(
        AssessmentRun, on_delete=models.PROTECT, related_name="country_assessments", verbose_name=_("assessment run")
    )
    cohort = models.ForeignKey(
        "sessions_app.Cohort",
        on_delete=models.PROTECT,
        related_name="dtca_country_assessments",
        verbose_name=_("group"),
    )
    country = models.ForeignKey(
        "participants.Country", on_delete=models.PROTECT, related_name="dtca_assessments", verbose_name=_("country")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_edited_at = models.DateTimeField(_("last edited at"), null=True, blank=True)
    last_edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("last edited by"),
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    is_late = models.BooleanField(
        _("late"), default=False, help_text=_("Submitted after the due moment of the group's task.")
    )
    reopened_at = models.DateTimeField(_("reopened at"), null=True, blank=True)
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("reopened by"),
    )

    class Meta:
        ordering = ["run", "cohort__name", "country__name"]
        verbose_name = _("country assessment")
        verbose_name_plural = _("country assessments")
        constraints = [
            models.UniqueConstraint(fields=["run", "cohort", "country"], name="country_assessment_unique_team"),
            models.CheckConstraint(
                condition=(Q(status="submitted") & Q(submitted_at__isnull=False))
                | (Q(status="draft") & Q(submitted_at__isnull=True)),
                name="country_assessment_submitted_has_time",
            ),
            models.CheckConstraint(
                condition=Q(is_late=False) | Q(status="submitted"), name="country_assessment_late_if_submitted"
            ),
        ]

    def __str__(self):
        team = {"country": self.country.name, "group": self.cohort.name}
        if self.status == Status.SUBMITTED:
            return gettext("Submitted DTCA of %(country)s, %(group)s") % team
        return gettext("Draft DTCA of %(country)s, %(group)s") % team

    @property
    def is_submitted(self) -> bool:
        return self.status == Status.SUBMITTED

    def clean(self):
        if self.run_id and self.cohort_id and self.run.workshop_id != self.cohort.workshop_id:
            raise ValidationError({"cohort": _("This group belongs to another workshop.")})


class CountryAnswer(AnswerFields):
    country_assessment = models.ForeignKey(
        CountryAssessment, on_delete=models.CASCADE, related_name="answers", verbose_name=_("country assessment")
    )
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("edited by"),
    )

    class Meta(AnswerFields.Meta):
        ordering = ["country_assessment", "statement__dimension__order", "statement__order"]
        verbose_name = _("country answer")
        verbose_name_plural = _("country answers")
        constraints = [
            *AnswerFields.Meta.constraints,
            models.UniqueConstraint(fields=["country_assessment", "statement"], name="country_answer_unique_statement"),
        ]

    def __str__(self):
        return f"{self.statement} → {self.value or '—'}"
