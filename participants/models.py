import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from common.text import NAME_MAX, ShortTextField
from common.validators import validate_timezone


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, email):
        return self.get(email__iexact=email)


# An erased person's account keeps only an address at this reserved domain (see the privacy app).
ERASED_EMAIL_DOMAIN = "erased.invalid"


class User(AbstractUser):
    """A person who signs in by e-mail address; there are no usernames."""

    username = None
    email = models.EmailField(_("e-mail address"), unique=True)
    first_name = ShortTextField(_("first name"), max_length=NAME_MAX, blank=True)
    last_name = ShortTextField(_("last name"), max_length=NAME_MAX, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    timezone = models.CharField(
        _("time zone"),
        max_length=64,
        blank=True,
        validators=[validate_timezone],
        help_text=_("Every time is shown in this zone. Empty means your country's zone (or UTC)."),
    )
    language = models.CharField(
        _("language"),
        max_length=8,
        blank=True,
        choices=settings.LANGUAGES,
        help_text=_("Pages, mails and certificates in this language. Empty means your workshop's language."),
    )
    email_notifications = models.BooleanField(
        _("e-mail me reminders and notices"),
        default=True,
        help_text=_("Invitations and password mails are always sent; this covers reminders and notices."),
    )
    privacy_accepted_at = models.DateTimeField(
        _("privacy notice accepted"), null=True, blank=True, help_text=_("When the person accepted the privacy notice.")
    )
    viewer_version = models.PositiveIntegerField(
        _("viewer version"),
        default=0,
        editable=False,
        help_text=_("Raised when the person's participation or zone changes; sessions then look them up again."),
    )

    objects = UserManager()

    class Meta:
        ordering = ["last_name", "first_name", "email"]
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_unique_ci")]

    def __str__(self):
        return self.get_full_name() or self.email

    @property
    def is_erased(self) -> bool:
        return self.email.endswith("@" + ERASED_EMAIL_DOMAIN)

    def get_full_name(self):
        if self.is_erased:
            return gettext("A former participant")
        return super().get_full_name()

    def save(self, *args, **kwargs):
        self.email = (self.email or "").strip().lower()
        if not self._state.adding and kwargs.get("update_fields") is None and not kwargs.get("force_insert"):
            # viewer_version only ever goes up, in the database (participants.viewer.forget_viewers): a copy of
            # the user read before a change must not write its older number back.
            kwargs["update_fields"] = [
                f.attname for f in self._meta.concrete_fields if not f.primary_key and f.name != "viewer_version"
            ]
        super().save(*args, **kwargs)


class Country(models.Model):
    code = models.CharField(_("ISO 3166 code"), max_length=2, unique=True)
    name = ShortTextField(_("name"), max_length=100, unique=True)
    timezone = models.CharField(
        _("default time zone"), max_length=64, validators=[validate_timezone], default="America/Port_of_Spain"
    )
    caricom_member = models.BooleanField(_("CARICOM member"), default=False)
    caricom_associate = models.BooleanField(_("CARICOM associate member"), default=False)
    caricad_member = models.BooleanField(_("CARICAD member"), default=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")

    def __str__(self):
        return self.name


def new_calendar_token() -> str:
    return secrets.token_urlsafe(24)


class Participant(models.Model):
    """A person enrolled in one group of a workshop."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="participations", verbose_name=_("person")
    )
    cohort = models.ForeignKey(
        "sessions_app.Cohort", on_delete=models.PROTECT, related_name="participants", verbose_name=_("group")
    )
    country = models.ForeignKey(
        Country, on_delete=models.PROTECT, related_name="participants", verbose_name=_("country")
    )
    institution = ShortTextField(_("institution (ministry or agency)"), max_length=255, blank=True)
    position = ShortTextField(_("position"), max_length=255, blank=True)
    calendar_token = models.CharField(
        _("calendar address key"), max_length=64, unique=True, default=new_calendar_token, editable=False
    )
    is_active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("Deactivated participants keep their work but no longer see the group or appear on its boards."),
    )
    joined_at = models.DateTimeField(_("joined"), auto_now_add=True)
    invitation_sent_at = models.DateTimeField(_("invitation sent"), null=True, blank=True)
    invitation_accepted_at = models.DateTimeField(
        _("invitation accepted"),
        null=True,
        blank=True,
        help_text=_("When the person first set a password or signed in."),
    )

    class Meta:
        ordering = ["cohort", "country__name", "user__last_name"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [models.UniqueConstraint(fields=["user", "cohort"], name="participant_unique_user_cohort")]

    def __str__(self):
        return f"{self.user} ({self.country.code}, {self.cohort.name})"

    @property
    def invitation_status(self) -> str:
        if self.invitation_accepted_at:
            return "accepted"
        if self.invitation_sent_at:
            return "sent"
        return "not sent"


class Team(models.Model):
    """A team the organizers put together, e.g. to design a regional innovation lab in Session 4.

    Country teams (the participants of one country in one group) form themselves and are not stored.
    """

    cohort = models.ForeignKey(
        "sessions_app.Cohort", on_delete=models.CASCADE, related_name="designated_teams", verbose_name=_("group")
    )
    session = models.ForeignKey(
        "sessions_app.Session",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="designated_teams",
        verbose_name=_("session"),
        help_text=_("The session whose team tasks this team does. Empty: every designated-team task of the group."),
    )
    name = ShortTextField(_("name"), max_length=100)
    members = models.ManyToManyField(
        Participant, through="TeamMembership", related_name="designated_teams", verbose_name=_("members")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["cohort", "session__number", "name"]
        verbose_name = _("designated team")
        verbose_name_plural = _("designated teams")
        constraints = [models.UniqueConstraint(fields=["cohort", "name"], name="team_unique_name_per_group")]

    def __str__(self):
        return f"{self.name} ({self.cohort.name})"

    def clean(self):
        if self.session_id and self.cohort_id and self.session.workshop_id != self.cohort.workshop_id:
            raise ValidationError({"session": gettext("Pick a session of the group's workshop.")})

    def does_task(self, task) -> bool:
        return self.cohort.workshop_id == task.session.workshop_id and self.session_id in (None, task.session_id)


class TeamMembership(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("team"))
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="team_memberships", verbose_name=_("participant")
    )

    class Meta:
        ordering = ["team", "participant__country__name", "participant__user__last_name"]
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        constraints = [
            models.UniqueConstraint(fields=["team", "participant"], name="team_membership_unique"),
        ]

    def __str__(self):
        return gettext("%(person)s in %(team)s") % {"person": self.participant.user, "team": self.team.name}

    def clean(self):
        if self.team_id and self.participant_id and self.team.cohort_id != self.participant.cohort_id:
            raise ValidationError({"participant": gettext("This participant is in another group than the team.")})


def validate_roster_rows(value) -> None:
    """At most a roster's worth of rows (roster.MAX_ROWS), each a line number and the row's columns."""
    from .roster import MAX_ROWS

    if not isinstance(value, list) or len(value) > MAX_ROWS:
        raise ValidationError(gettext("At most %(limit)s rows.") % {"limit": MAX_ROWS})


class RosterImport(models.Model):
    """One roster import the organizer confirmed: the rows wait here until the worker imports them (all or
    nothing, checked again there), then the outcome stays for the organizer to read."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Importing")
        DONE = "done", _("Imported")
        REFUSED = "refused", _("Not imported: the file has problems")
        FAILED = "failed", _("Failed")

    workshop = models.ForeignKey(
        "sessions_app.Workshop", on_delete=models.CASCADE, related_name="roster_imports", verbose_name=_("workshop")
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("asked for by"),
    )
    requested_at = models.DateTimeField(_("asked for"))
    language = models.CharField(_("language"), max_length=8, blank=True)
    file_name = models.CharField(_("file name"), max_length=200, blank=True)
    # [{"line": 2, "values": {"email": …}}]: emptied once imported (the participants hold the data from then on).
    rows = models.JSONField(_("rows"), default=list, blank=True, validators=[validate_roster_rows])
    row_count = models.PositiveIntegerField(_("rows in the file"), default=0)
    send_invitations = models.BooleanField(_("send invitations"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    imported_count = models.PositiveIntegerField(_("participants imported"), default=0)
    invited_count = models.PositiveIntegerField(_("invitations queued"), default=0)
    # The rows the worker's check refused, as the preview shows them: [{"line", "values", "problems"}].
    problems = models.JSONField(_("problems"), default=list, blank=True, validators=[validate_roster_rows])
    error = models.CharField(_("error"), max_length=300, blank=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("roster import")
        verbose_name_plural = _("roster imports")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["queued", "running", "done", "refused", "failed"]),
                name="roster_import_status_known",
            )
        ]

    def __str__(self):
        return gettext("%(file)s into %(workshop)s") % {"file": self.file_name or "—", "workshop": self.workshop}

    @property
    def is_busy(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)
