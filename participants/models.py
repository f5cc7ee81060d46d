import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models.functions import Lower

from sessions_app.models import validate_timezone


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


class User(AbstractUser):
    """A person who signs in by e-mail address; there are no usernames."""

    username = None
    email = models.EmailField("e-mail address", unique=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    timezone = models.CharField(
        "time zone",
        max_length=64,
        blank=True,
        validators=[validate_timezone],
        help_text="Every time is shown in this zone. Empty means your country's zone (or UTC).",
    )

    objects = UserManager()

    class Meta:
        ordering = ["last_name", "first_name", "email"]
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_unique_ci")]

    def __str__(self):
        return self.get_full_name() or self.email

    def save(self, *args, **kwargs):
        self.email = (self.email or "").strip().lower()
        super().save(*args, **kwargs)


class Country(models.Model):
    code = models.CharField("ISO 3166 code", max_length=2, unique=True)
    name = models.CharField(max_length=100, unique=True)
    timezone = models.CharField(
        "default time zone", max_length=64, validators=[validate_timezone], default="America/Port_of_Spain"
    )
    caricom_member = models.BooleanField("CARICOM member", default=False)
    caricom_associate = models.BooleanField("CARICOM associate member", default=False)
    caricad_member = models.BooleanField("CARICAD member", default=False)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "countries"

    def __str__(self):
        return self.name


def new_calendar_token() -> str:
    return secrets.token_urlsafe(24)


class Participant(models.Model):
    """A person enrolled in one group of a workshop."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="participations")
    cohort = models.ForeignKey(
        "sessions_app.Cohort", on_delete=models.PROTECT, related_name="participants", verbose_name="group"
    )
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="participants")
    institution = models.CharField("institution (ministry or agency)", max_length=255, blank=True)
    position = models.CharField(max_length=255, blank=True)
    calendar_token = models.CharField(max_length=64, unique=True, default=new_calendar_token, editable=False)
    is_active = models.BooleanField(default=True, help_text="Deactivated participants keep their work.")
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["cohort", "country__name", "user__last_name"]
        constraints = [models.UniqueConstraint(fields=["user", "cohort"], name="participant_unique_user_cohort")]

    def __str__(self):
        return f"{self.user} ({self.country.code}, {self.cohort.name})"
