"""The workshop report: what organizers add to the figures (closing text, chosen comments) and the last file.

The figures themselves are never stored: selectors read them from the other apps each time a report is made.
"""

from __future__ import annotations

import hashlib
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from common.text import LONG_TEXT_MAX, MESSAGE_MAX, LongTextField, clean_text, length_within

CLOSING_MAX_CHARS = LONG_TEXT_MAX
COMMENT_MAX_CHARS = MESSAGE_MAX  # as long as an evaluation answer may be
CHOSEN_COMMENTS_MAX = 60  # per workshop


class ClosingText(models.Model):
    """The closing section of a workshop's report, as organizers write it."""

    workshop = models.OneToOneField(
        "sessions_app.Workshop", on_delete=models.CASCADE, related_name="report_closing", verbose_name=_("workshop")
    )
    text = LongTextField(
        _("closing text"),
        max_length=CLOSING_MAX_CHARS,
        blank=True,
        help_text=_("Conclusions and next steps. Blank lines separate paragraphs."),
    )
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("last changed by"),
    )

    class Meta:
        verbose_name = _("closing text of a report")
        constraints = [length_within("text", CLOSING_MAX_CHARS, model="closingtext")]
        verbose_name_plural = _("closing texts of reports")

    def __str__(self):
        return str(self.workshop)

    @property
    def paragraphs(self) -> list[str]:
        return [p.strip() for p in self.text.replace("\r\n", "\n").split("\n\n") if p.strip()]


def text_hash(text: str) -> str:
    """The key of a comment's words, as the field stores them (cleaned like the evaluation answer it copies)."""
    return hashlib.sha256(clean_text(text, multiline=True).encode()).hexdigest()


class ChosenComment(models.Model):
    """A comment an organizer picked for the report. The text is copied: an anonymous form's answers are written
    again on every new response, so nothing may point at one. The report shows it only while the form's anonymity
    rules allow its comments and the comment is still among the form's answers."""

    question = models.ForeignKey(
        "evaluations.FormQuestion", on_delete=models.CASCADE, related_name="+", verbose_name=_("question")
    )
    text = LongTextField(_("comment"), max_length=COMMENT_MAX_CHARS)
    # Unique per question through its hash: an index on long texts would overflow PostgreSQL's index rows.
    text_hash = models.CharField(_("comment fingerprint"), max_length=64, editable=False)
    chosen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("chosen by"),
    )
    chosen_at = models.DateTimeField(_("chosen"), auto_now_add=True)

    class Meta:
        ordering = ["question__form__cohort__name", "question__form_id", "question__order", "pk"]
        verbose_name = _("comment chosen for the report")
        verbose_name_plural = _("comments chosen for the report")
        constraints = [
            models.UniqueConstraint(fields=["question", "text_hash"], name="chosen_comment_once"),
            length_within("text", COMMENT_MAX_CHARS, model="chosencomment"),
        ]

    def __str__(self):
        return self.text[:60]

    def save(self, *args, **kwargs):
        self.text_hash = text_hash(self.text)
        super().save(*args, **kwargs)

    def clean(self):
        if self.question_id and not self.question.is_text:
            raise ValidationError({"question": _("Only free-text answers are comments.")})


class GeneratedReport(models.Model):
    """The last file of one kind made for a workshop (or one of its groups), and where its making stands."""

    class Format(models.TextChoices):
        PDF = "pdf", _("PDF")
        DOCX = "docx", _("Word (DOCX)")
        XLSX = "xlsx", _("Figures (XLSX)")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Being made")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    workshop = models.ForeignKey(
        "sessions_app.Workshop", on_delete=models.CASCADE, related_name="generated_reports", verbose_name=_("workshop")
    )
    cohort = models.ForeignKey(
        "sessions_app.Cohort",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="generated_reports",
        verbose_name=_("group"),
        help_text=_("Empty: the whole workshop."),
    )
    format = models.CharField(_("format"), max_length=4, choices=Format.choices)
    include_names = models.BooleanField(
        _("names in the participation annex"), default=False, help_text=_("Off by default: the report names no one.")
    )
    # The language the file is written in, chosen when it is asked for (empty: the site's, for older rows).
    language = models.CharField(_("language"), max_length=10, blank=True, default="")
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    job = models.UUIDField(
        _("job identifier"), default=uuid.uuid4, editable=False, help_text=_("The request the status belongs to.")
    )
    requested_at = models.DateTimeField(_("requested"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("requested by"),
    )
    file = models.FileField(_("file"), upload_to="reports/", blank=True, max_length=255)
    generated_at = models.DateTimeField(_("made"), null=True, blank=True)
    file_has_names = models.BooleanField(_("file names participants"), default=False, editable=False)
    error = models.CharField(_("error"), max_length=300, blank=True)

    class Meta:
        ordering = ["workshop", "cohort__name", "format"]
        verbose_name = _("generated report")
        verbose_name_plural = _("generated reports")
        constraints = [
            models.UniqueConstraint(
                fields=["workshop", "format"],
                condition=Q(cohort__isnull=True),
                name="generated_report_one_per_workshop",
            ),
            models.UniqueConstraint(
                fields=["cohort", "format"], condition=Q(cohort__isnull=False), name="generated_report_one_per_group"
            ),
            models.CheckConstraint(condition=Q(progress__lte=100), name="generated_report_progress_percent"),
        ]

    def __str__(self):
        group = self.cohort.name if self.cohort_id else gettext("all groups")
        return f"{self.workshop} · {group} · {self.format}"

    @property
    def is_busy(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    def clean(self):
        if self.cohort_id and self.workshop_id and self.cohort.workshop_id != self.workshop_id:
            raise ValidationError({"cohort": _("This group belongs to another workshop.")})
