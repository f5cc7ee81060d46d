"""Preparation work handed in through the portal.

A Submission is the work of one *owner* on one task: a participant for individual tasks, a country team (the
participants of one country in one group) or a designated team for team tasks. Every hand-in is a new
SubmissionVersion; the latest counts and the earlier ones are kept.
"""

import secrets
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from common.text import SUBMISSION_MAX, LongTextField, ShortTextField
from common.validators import validate_web_url
from sessions_app.models import PreparationTask


class OwnedWork(models.Model):
    """Who the work belongs to: exactly one of a participant, a country team (group + country) or a team."""

    task = models.ForeignKey(PreparationTask, on_delete=models.PROTECT, related_name="+", verbose_name=_("task"))
    cohort = models.ForeignKey(
        "sessions_app.Cohort", on_delete=models.PROTECT, related_name="+", verbose_name=_("group")
    )
    participant = models.ForeignKey(
        "participants.Participant",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("participant"),
    )
    country = models.ForeignKey(
        "participants.Country",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("country"),
        help_text=_("For country-team tasks: the country whose team it is."),
    )
    team = models.ForeignKey(
        "participants.Team",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("team"),
        help_text=_("For designated-team tasks."),
    )

    class Meta:
        abstract = True

    @staticmethod
    def one_owner_condition() -> Q:
        return (
            Q(participant__isnull=False, country__isnull=True, team__isnull=True)
            | Q(participant__isnull=True, country__isnull=False, team__isnull=True)
            | Q(participant__isnull=True, country__isnull=True, team__isnull=False)
        )

    @property
    def owner_key(self) -> tuple:
        if self.participant_id:
            return ("participant", self.participant_id)
        if self.team_id:
            return ("team", self.team_id)
        return ("country", self.cohort_id, self.country_id)

    @property
    def owner_label(self) -> str:
        if self.participant_id:
            return str(self.participant.user)
        if self.team_id:
            return self.team.name
        return gettext("%(country)s team") % {"country": self.country.name}

    def clean(self):
        if not self.task_id or not self.cohort_id:
            return
        kind = self.task.performed_by
        owners = [bool(self.participant_id), bool(self.country_id), bool(self.team_id)]
        if sum(owners) != 1:
            raise ValidationError(_("Choose exactly one of a participant, a country or a designated team."))
        expected = {
            PreparationTask.PerformedBy.INDIVIDUAL: ("participant", self.participant_id),
            PreparationTask.PerformedBy.COUNTRY_TEAM: ("country", self.country_id),
            PreparationTask.PerformedBy.DESIGNATED_TEAM: ("team", self.team_id),
        }[kind]
        if not expected[1]:
            raise ValidationError(
                {
                    expected[0]: _("This task is done by: %(who)s.")
                    % {"who": self.task.get_performed_by_display().lower()}
                }
            )
        if self.cohort.workshop_id != self.task.session.workshop_id:
            raise ValidationError({"cohort": _("This group belongs to another workshop than the task.")})
        if self.participant_id and self.participant.cohort_id != self.cohort_id:
            raise ValidationError({"participant": _("This participant is in another group.")})
        if self.team_id and self.team.cohort_id != self.cohort_id:
            raise ValidationError({"team": _("This team belongs to another group.")})


class Submission(OwnedWork):
    task = models.ForeignKey(
        PreparationTask, on_delete=models.PROTECT, related_name="submissions", verbose_name=_("task")
    )
    cohort = models.ForeignKey(
        "sessions_app.Cohort", on_delete=models.PROTECT, related_name="submissions", verbose_name=_("group")
    )
    participant = models.ForeignKey(
        "participants.Participant",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="submissions",
        verbose_name=_("participant"),
    )
    country = models.ForeignKey(
        "participants.Country",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="team_submissions",
        verbose_name=_("country"),
    )
    team = models.ForeignKey(
        "participants.Team",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="submissions",
        verbose_name=_("team"),
    )
    latest_version = models.ForeignKey(
        "SubmissionVersion",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
        verbose_name=_("latest version"),
    )
    version_count = models.PositiveIntegerField(_("number of versions"), default=0, editable=False)
    submitted_at = models.DateTimeField(_("last handed in"), null=True, blank=True, editable=False)
    is_late = models.BooleanField(
        _("late"), default=False, editable=False, help_text=_("The latest version came after the due moment.")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["task", "cohort", "-submitted_at"]
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        # The admin's list in this order (its last key, -id, makes it total) reads the index, not every submission.
        indexes = [models.Index(fields=["task", "cohort", "-submitted_at", "-id"], name="submission_list_order")]
        permissions = [
            ("view_progress_board", "Can see the preparation progress board of the groups they facilitate"),
            ("download_task_files", "Can download every file handed in for a task as one zip"),
        ]
        constraints = [
            models.CheckConstraint(condition=OwnedWork.one_owner_condition(), name="submission_one_owner"),
            models.UniqueConstraint(
                fields=["task", "participant"], condition=Q(participant__isnull=False), name="submission_unique_person"
            ),
            models.UniqueConstraint(
                fields=["task", "cohort", "country"],
                condition=Q(country__isnull=False),
                name="submission_unique_country_team",
            ),
            models.UniqueConstraint(
                fields=["task", "team"], condition=Q(team__isnull=False), name="submission_unique_team"
            ),
        ]

    def __str__(self):
        return f"{self.task} · {self.owner_label}"


def stored_file_name(instance, filename: str) -> str:
    """A random name: nothing about the person or the original name shows in the storage."""
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"submissions/{timezone.now():%Y/%m}/{secrets.token_hex(16)}{suffix}"


class SubmissionVersion(models.Model):
    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="versions", verbose_name=_("submission")
    )
    number = models.PositiveIntegerField(_("number"))
    submitted_by = models.ForeignKey(
        "participants.Participant",
        on_delete=models.PROTECT,
        related_name="submitted_versions",
        verbose_name=_("handed in by"),
    )
    submitted_at = models.DateTimeField(_("handed in at"), default=timezone.now)
    due_at = models.DateTimeField(_("due moment then"), null=True, blank=True)
    is_late = models.BooleanField(_("late"), default=False)
    text = LongTextField(_("text"), blank=True, max_length=SUBMISSION_MAX)
    link = models.URLField(_("link"), blank=True, max_length=500, validators=[validate_web_url])
    file = models.FileField(_("file"), upload_to=stored_file_name, blank=True, max_length=200)
    original_name = ShortTextField(_("file name"), max_length=255, blank=True)
    file_size = models.PositiveBigIntegerField(_("file size"), null=True, blank=True)
    content_type = models.CharField(_("file type"), max_length=120, blank=True)

    class Meta:
        ordering = ["submission", "-number"]
        verbose_name = _("submission version")
        verbose_name_plural = _("submission versions")
        constraints = [
            models.UniqueConstraint(fields=["submission", "number"], name="version_unique_number"),
            models.CheckConstraint(condition=Q(number__gte=1), name="version_number_positive"),
        ]

    def __str__(self):
        return gettext("%(submission)s · version %(number)s") % {"submission": self.submission, "number": self.number}

    @property
    def kind(self) -> str:
        if self.file:
            return "file"
        if self.link:
            return "link"
        if self.text:
            return "text"
        return "done"


class Extension(OwnedWork):
    """A later due moment for one participant or team, given by an organizer."""

    task = models.ForeignKey(
        PreparationTask, on_delete=models.CASCADE, related_name="extensions", verbose_name=_("task")
    )
    cohort = models.ForeignKey(
        "sessions_app.Cohort", on_delete=models.CASCADE, related_name="extensions", verbose_name=_("group")
    )
    participant = models.ForeignKey(
        "participants.Participant",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="extensions",
        verbose_name=_("participant"),
    )
    country = models.ForeignKey(
        "participants.Country",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="team_extensions",
        verbose_name=_("country"),
        help_text=_("For country-team tasks: the country whose team gets more time."),
    )
    team = models.ForeignKey(
        "participants.Team",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="extensions",
        verbose_name=_("team"),
    )
    due_at = models.DateTimeField(_("new due moment"))
    reason = ShortTextField(_("reason"), max_length=255, blank=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
        verbose_name=_("granted by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["task", "cohort", "due_at"]
        verbose_name = _("extension")
        verbose_name_plural = _("extensions")
        indexes = [models.Index(fields=["due_at"], name="extension_due_at")]  # the dispatcher's window
        constraints = [
            models.CheckConstraint(condition=OwnedWork.one_owner_condition(), name="extension_one_owner"),
            models.UniqueConstraint(
                fields=["task", "participant"], condition=Q(participant__isnull=False), name="extension_unique_person"
            ),
            models.UniqueConstraint(
                fields=["task", "cohort", "country"],
                condition=Q(country__isnull=False),
                name="extension_unique_country_team",
            ),
            models.UniqueConstraint(
                fields=["task", "team"], condition=Q(team__isnull=False), name="extension_unique_team"
            ),
        ]

    def __str__(self):
        return gettext("Extension: %(task)s · %(owner)s") % {"task": self.task, "owner": self.owner_label}
