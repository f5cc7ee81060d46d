from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from common.timefmt import local_text


class Erasure(models.Model):
    """That a person was erased, when, by whom and why. Nothing about the person: the record must not undo it."""

    class Reason(models.TextChoices):
        REQUEST = "request", _("Erased by an organizer")
        RETENTION = "retention", _("Retention rule")

    erased_at = models.DateTimeField(_("erased at"), auto_now_add=True)
    erased_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("erased by"),
    )
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    participations = models.PositiveIntegerField(_("participations kept anonymously"), default=0)
    files_deleted = models.PositiveIntegerField(_("files deleted"), default=0)

    class Meta:
        ordering = ["-erased_at"]
        verbose_name = _("erasure")
        verbose_name_plural = _("erasures")

    def __str__(self):
        return f"{self.get_reason_display()} · {local_text(self.erased_at)}"
