"""Calls for nominations, the country nominators, the nominations and what organizers decided about them."""

from __future__ import annotations

import secrets
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.timefmt import local_text

MAX_MOTIVATION = 1500


class Call(models.Model):
    """A workshop's call for nominations: one per workshop."""

    class WhoNominates(models.TextChoices):
        NOMINATORS = "nominators", _("Country nominators only")
        OPEN = "open", _("Country nominators and public applications (open call)")

    workshop = models.OneToOneField(
        "sessions_app.Workshop", on_delete=models.CASCADE, related_name="nomination_call", verbose_name=_("workshop")
    )
    deadline = models.DateTimeField(_("deadline"), help_text=_("Nominations are accepted until this moment."))
    seats_per_country = models.PositiveSmallIntegerField(
        _("seats per country"), default=2, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    countries = models.ManyToManyField(
        "participants.Country", related_name="nomination_calls", verbose_name=_("eligible countries")
    )
    who_nominates = models.CharField(
        _("who nominates"), max_length=12, choices=WhoNominates.choices, default=WhoNominates.NOMINATORS
    )
    is_closed = models.BooleanField(
        _("closed"), default=False, help_text=_("A closed call takes no nominations, whatever its deadline.")
    )
    require_institution = models.BooleanField(_("institution required"), default=True)
    require_position = models.BooleanField(_("position required"), default=True)
    require_seniority = models.BooleanField(_("seniority required"), default=True)
    require_gender = models.BooleanField(_("gender required"), default=False)
    require_motivation = models.BooleanField(_("motivation required"), default=True)
    require_cv = models.BooleanField(_("CV required"), default=False)
    groups_confirmed_at = models.DateTimeField(_("groups confirmed"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-deadline"]
        verbose_name = _("call for nominations")
        verbose_name_plural = _("calls for nominations")

    def __str__(self):
        return str(_("Call for %(workshop)s") % {"workshop": self.workshop})

    @property
    def is_open_call(self) -> bool:
        return self.who_nominates == self.WhoNominates.OPEN

    def accepts_nominations(self, now=None) -> bool:
        return not self.is_closed and (now or timezone.now()) < self.deadline

    def required_fields(self) -> set[str]:
        names = ("institution", "position", "seniority", "gender", "motivation", "cv")
        return {name for name in names if getattr(self, f"require_{name}")}


class Nominator(models.Model):
    """A person who nominates for one country (a ministry, the national focal point); several per country."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="nominators", verbose_name=_("call"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="nominator_roles", verbose_name=_("person")
    )
    country = models.ForeignKey(
        "participants.Country", on_delete=models.PROTECT, related_name="nominators", verbose_name=_("country")
    )
    invited_at = models.DateTimeField(_("invited"), null=True, blank=True)

    class Meta:
        ordering = ["call", "country__name", "user__email"]
        verbose_name = _("country nominator")
        verbose_name_plural = _("country nominators")
        constraints = [
            models.UniqueConstraint(fields=["call", "user", "country"], name="nominator_unique_per_call_country")
        ]

    def __str__(self):
        return f"{self.user} ({self.country.code})"

    def clean(self):
        if self.call_id and self.country_id and not self.call.countries.filter(pk=self.country_id).exists():
            raise ValidationError({"country": _("This country is not eligible in the call.")})


def cv_file_name(instance, filename: str) -> str:
    """A random name: nothing about the person or the original name shows in the storage."""
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"nominations/{timezone.now():%Y/%m}/{secrets.token_hex(16)}{suffix}"


def new_token() -> str:
    return secrets.token_urlsafe(32)


class Nomination(models.Model):
    class Status(models.TextChoices):
        UNCONFIRMED = "unconfirmed", _("Waiting for e-mail confirmation")
        NOMINATED = "nominated", _("Nominated")
        ACCEPTED = "accepted", _("Accepted")
        WAITLISTED = "waitlisted", _("Waitlisted")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Seniority(models.TextChoices):
        JUNIOR = "junior", _("Junior (up to 5 years)")
        MIDDLE = "middle", _("Middle (5 to 15 years)")
        SENIOR = "senior", _("Senior (over 15 years)")
        EXECUTIVE = "executive", _("Executive (head of a unit or above)")

    class Gender(models.TextChoices):
        WOMAN = "woman", _("Woman")
        MAN = "man", _("Man")
        OTHER = "other", _("Other")

    class Source(models.TextChoices):
        NOMINATOR = "nominator", _("Country nominator")
        PUBLIC = "public", _("Public application")
        ORGANIZER = "organizer", _("Organizer")

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="nominations", verbose_name=_("call"))
    country = models.ForeignKey(
        "participants.Country", on_delete=models.PROTECT, related_name="nominations", verbose_name=_("country")
    )
    first_name = models.CharField(_("first name"), max_length=150)
    last_name = models.CharField(_("last name"), max_length=150)
    email = models.EmailField(_("e-mail address"), max_length=254)
    institution = models.CharField(_("institution (ministry or agency)"), max_length=255, blank=True)
    position = models.CharField(_("position"), max_length=255, blank=True)
    seniority = models.CharField(_("seniority"), max_length=12, choices=Seniority.choices, blank=True)
    gender = models.CharField(_("gender"), max_length=8, choices=Gender.choices, blank=True)
    motivation = models.TextField(_("short motivation"), max_length=MAX_MOTIVATION, blank=True)
    cv = models.FileField(_("CV"), upload_to=cv_file_name, blank=True, max_length=200)
    cv_name = models.CharField(_("CV file name"), max_length=255, blank=True)
    rank = models.PositiveSmallIntegerField(
        _("rank"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.NOMINATOR)
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("nominated by"),
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.NOMINATED)
    decision_note = models.CharField(_("note"), max_length=500, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    confirmation_token = models.CharField(_("confirmation token"), max_length=64, blank=True, editable=False)
    proposed_cohort = models.ForeignKey(
        "sessions_app.Cohort",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposed_nominations",
        verbose_name=_("proposed group"),
    )
    participant = models.ForeignKey(
        "participants.Participant",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="nominations",
        verbose_name=_("enrolled as"),
    )
    courtesy_sent_at = models.DateTimeField(_("courtesy mail sent"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["country__name", "rank", "last_name", "first_name"]
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        constraints = [
            # A person is nominated once per workshop (one call per workshop), whoever nominates them.
            models.UniqueConstraint("call", Lower("email"), name="nomination_unique_email_per_call"),
        ]
        indexes = [models.Index(fields=["call", "country", "status"], name="nomination_call_country_status")]

    def __str__(self):
        return f"{self.full_name} ({self.country_id and self.country.code})"

    def save(self, *args, **kwargs):
        self.email = (self.email or "").strip().lower()
        super().save(*args, **kwargs)

    def clean(self):
        if self.call_id and self.country_id and not self.call.countries.filter(pk=self.country_id).exists():
            raise ValidationError({"country": _("This country is not eligible in the call.")})
        if self.proposed_cohort_id and self.call_id and self.proposed_cohort.workshop_id != self.call.workshop_id:
            raise ValidationError({"proposed_cohort": _("Pick a group of the call's workshop.")})

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class LogEntry(models.Model):
    """What happened to a call's nominations and who did it: decisions, overrides, promotions, enrolment."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="log", verbose_name=_("call"))
    nomination = models.ForeignKey(
        Nomination, null=True, blank=True, on_delete=models.SET_NULL, related_name="log", verbose_name=_("nomination")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("done by"),
    )
    action = models.CharField(_("action"), max_length=40)
    note = models.TextField(_("note"), blank=True, max_length=2000)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("log entry")
        verbose_name_plural = _("log entries")

    def __str__(self):
        return f"{local_text(self.created_at)} · {self.action_label}"

    @property
    def action_label(self) -> str:
        return str(ACTION_LABELS.get(self.action, self.action))


ACTION_LABELS = {
    "nominator_invited": _("Nominator invited"),
    "nominated": _("Nominated"),
    "edited": _("Edited"),
    "withdrawn": _("Withdrawn"),
    "application_confirmed": _("Application confirmed"),
    "accepted": _("Accepted"),
    "waitlisted": _("Waitlisted"),
    "declined": _("Declined"),
    "nominated_again": _("Decision undone"),
    "seats_override": _("Seats overridden"),
    "promoted": _("Promoted from the waitlist"),
    "groups_proposed": _("Groups proposed"),
    "country_moved": _("Country moved"),
    "groups_confirmed": _("Groups confirmed and invited"),
    "courtesy_sent": _("Courteous mails sent"),
}


class NominatorReminder(models.Model):
    """One reminder rule's mail to one nominator: the unique constraint makes a second dispatcher run send nothing."""

    rule = models.ForeignKey(
        "reminders.ReminderRule",
        on_delete=models.CASCADE,
        related_name="nominator_reminders",
        verbose_name=_("reminder rule"),
    )
    nominator = models.ForeignKey(
        Nominator, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("country nominator")
    )
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        verbose_name = _("reminder to a nominator")
        verbose_name_plural = _("reminders to nominators")
        constraints = [models.UniqueConstraint(fields=["rule", "nominator"], name="nominator_reminder_once")]

    def __str__(self):
        return f"{self.nominator} ← {self.rule}"
