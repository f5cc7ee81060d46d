"""Attendance of a group's sessions and the certificates of participation that follow from it.

These models were born in ``live`` (migrations live 0001-0003); their tables keep the names they had there
(``db_table``), so moving them to this app changed no row on a deployed database (see migrations/0001).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.text import NOTE_MAX, LongTextField, ShortTextField
from sessions_app.models import split_lines


class LiveSettings(models.Model):
    """How a workshop counts attendance for certificates and reads the meeting platform's report."""

    workshop = models.OneToOneField(
        "sessions_app.Workshop", on_delete=models.CASCADE, related_name="live_settings", verbose_name=_("workshop")
    )
    partly_counts_for_certificate = models.BooleanField(
        _("“partly” counts for the certificate"),
        default=False,
        help_text=_(
            "Off: a certificate needs “present” at every session of the group. "
            "On: attending part of a session is enough."
        ),
    )
    present_from_percent = models.PositiveSmallIntegerField(
        # xgettext:no-python-format
        _("present from (% of the session)"),
        default=75,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_(
            "When importing the meeting platform's attendee report, fewer minutes than this share of the "
            "session's length count as “partly”."
        ),
    )
    certificate_signatories = LongTextField(
        _("certificate signatories"),
        max_length=NOTE_MAX,
        blank=True,
        help_text=_("Printed under the certificate, one per line, e.g. “Name, Title, Organization”."),
    )

    class Meta:
        db_table = "live_livesettings"
        verbose_name = _("live-session settings")
        verbose_name_plural = _("live-session settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(present_from_percent__gte=1) & Q(present_from_percent__lte=100),
                name="live_settings_percent_range",
            )
        ]

    def __str__(self):
        return _("Live-session settings · %(workshop)s") % {"workshop": self.workshop}

    @property
    def signatory_list(self) -> list[str]:
        return split_lines(self.certificate_signatories)


class Attendance(models.Model):
    class Status(models.TextChoices):
        PRESENT = "present", _("Present")
        PARTLY = "partly", _("Partly")
        ABSENT = "absent", _("Absent")

    class Source(models.TextChoices):
        FACILITATOR = "facilitator", _("Taken by the facilitator")
        REPORT = "report", _("Attendee report")

    occurrence = models.ForeignKey(
        "sessions_app.SessionOccurrence",
        on_delete=models.CASCADE,
        related_name="attendance_records",
        verbose_name=_("session occurrence"),
    )
    participant = models.ForeignKey(
        "participants.Participant",
        on_delete=models.CASCADE,
        related_name="attendance_records",
        verbose_name=_("participant"),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    minutes_attended = models.PositiveSmallIntegerField(
        _("minutes attended"), null=True, blank=True, help_text=_("From the attendee report.")
    )
    source = models.CharField(_("source"), max_length=12, choices=Source.choices, default=Source.FACILITATOR)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        db_table = "live_attendance"
        ordering = ["occurrence", "participant"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["occurrence", "participant"], name="attendance_once_per_occurrence"),
            models.CheckConstraint(
                condition=Q(status__in=["present", "partly", "absent"]), name="attendance_known_status"
            ),
        ]

    def __str__(self):
        return f"{self.participant} · {self.occurrence} · {self.get_status_display()}"


# Unambiguous letters and digits (no 0/O, 1/I/L) so a code read off paper is typed right.
CERTIFICATE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CERTIFICATE_CODE_LENGTH = 12


def format_certificate_code(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


class Certificate(models.Model):
    """A certificate of participation. What it certifies is copied at issue, so verification shows what was
    printed even if names or dates change later."""

    participant = models.OneToOneField(
        "participants.Participant",
        null=True,
        on_delete=models.SET_NULL,
        related_name="certificate",
        verbose_name=_("participant"),
    )
    code = models.CharField(_("verification code"), max_length=CERTIFICATE_CODE_LENGTH, unique=True, editable=False)
    holder_name = ShortTextField(_("holder's name"), max_length=300)
    workshop_title = ShortTextField(_("workshop title"), max_length=300)
    group_name = ShortTextField(_("group name"), max_length=60)
    first_session_on = models.DateField(_("date of the first session"))
    last_session_on = models.DateField(_("date of the last session"))
    sessions_attended = models.PositiveSmallIntegerField(_("sessions attended"))
    issued_at = models.DateTimeField(_("issued"), default=timezone.now)
    revoked_at = models.DateTimeField(
        _("revoked"),
        null=True,
        blank=True,
        help_text=_("A revoked certificate no longer verifies (e.g. attendance was corrected)."),
    )

    class Meta:
        db_table = "live_certificate"
        ordering = ["-issued_at"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        constraints = [
            models.CheckConstraint(
                condition=Q(last_session_on__gte=models.F("first_session_on")), name="certificate_dates_in_order"
            )
        ]

    def __str__(self):
        return f"{self.holder_name} · {self.display_code}"

    @property
    def display_code(self) -> str:
        return format_certificate_code(self.code)

    @property
    def is_valid(self) -> bool:
        return self.revoked_at is None
