"""The one model the shared rules keep: the last file a background job made (common/background.py)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class BackgroundFile(models.Model):
    """The last file of one kind made for one object (a task's files, a group's certificates…), and where the
    making of the next one stands. What the file is, who may download it and how it is made is the kind's
    (``common.registry.background_jobs``); ``target`` names the object the way the kind understands it."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Being made")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=60)
    target = models.CharField(_("made for"), max_length=100)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    error = models.CharField(_("error"), max_length=300, blank=True)
    # The request being made: a job that is no longer the current one (asked again since) keeps nothing.
    job = models.UUIDField(_("job identifier"), default=uuid.uuid4, editable=False)
    requested_at = models.DateTimeField(_("asked for"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("asked for by"),
    )
    file = models.FileField(_("file"), upload_to="background/%Y/%m/", max_length=300, blank=True)
    file_name = models.CharField(_("file name"), max_length=200, blank=True)
    generated_at = models.DateTimeField(_("made at"), null=True, blank=True)

    class Meta:
        verbose_name = _("file made in the background")
        verbose_name_plural = _("files made in the background")
        constraints = [models.UniqueConstraint(fields=["kind", "target"], name="background_file_once")]

    def __str__(self):
        return f"{self.kind} {self.target}"

    @property
    def is_busy(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)
