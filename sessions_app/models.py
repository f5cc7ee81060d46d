"""The programme of a workshop run, as data.

A Workshop is one run of a course. Its Sessions are delivered to each Group
(cohort) as SessionOccurrences with their own dates; the agenda and the
preparation tasks belong to the Session, so one agenda serves every group and
due dates are computed per group, never typed twice.
"""

import zoneinfo
from copy import deepcopy
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from common.text import LONG_TEXT_MAX, TEXT_MAX, TITLE_MAX, LongTextField, ShortTextField
from common.timefmt import reference_text
from common.translations import TranslationsField, translated_lines
from common.validators import validate_timezone, validate_web_url, web_url_or_empty  # noqa: F401 (old migrations)


def split_lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class Organization(models.Model):
    short_name = models.CharField(
        _("short name"), max_length=40, unique=True, help_text=_("How the programme refers to it, e.g. CARICAD.")
    )
    name = ShortTextField(_("name"), max_length=200)
    url = models.URLField(_("website"), blank=True, validators=[validate_web_url])

    class Meta:
        ordering = ["short_name"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")

    def __str__(self):
        return self.short_name


def validate_additional_languages(value) -> None:
    """A list of configured language codes, each once (the workshop's own language is not repeated)."""
    codes = [code for code, _name in settings.LANGUAGES]
    if not isinstance(value, list) or len(value) > len(codes):
        raise ValidationError(_("Give a list of language codes."))
    unknown = [str(code)[:20] for code in value if code not in codes]
    if unknown:
        raise ValidationError(
            _("Unknown language: %(codes)s (use %(known)s).") % {"codes": ", ".join(unknown), "known": ", ".join(codes)}
        )
    if len(set(value)) != len(value):
        raise ValidationError(_("Each language once."))


class Workshop(models.Model):
    TRANSLATABLE_FIELDS = ("title", "subtitle", "objectives_intro", "objectives")
    TRANSLATION_SOURCE = "self"
    translations = TranslationsField()
    slug = models.SlugField(_("identifier"), unique=True, help_text=_("Used in addresses and in programme files."))
    title = ShortTextField(_("title"), max_length=255)
    subtitle = ShortTextField(_("subtitle"), max_length=255, blank=True)
    organizers = models.ManyToManyField(
        Organization, related_name="workshops", blank=True, verbose_name=_("organizers")
    )
    background = LongTextField(_("background"), blank=True, max_length=LONG_TEXT_MAX)
    thematic_focus = LongTextField(_("thematic focus"), blank=True, max_length=LONG_TEXT_MAX)
    objectives_intro = LongTextField(_("introduction to the objectives"), blank=True, max_length=LONG_TEXT_MAX)
    objectives = LongTextField(
        _("objectives"), blank=True, max_length=LONG_TEXT_MAX, help_text=_("One objective per line.")
    )
    format = LongTextField(_("format"), blank=True, max_length=LONG_TEXT_MAX)
    key_features = LongTextField(
        _("key features"), blank=True, max_length=LONG_TEXT_MAX, help_text=_("One feature per line.")
    )
    target_audience = LongTextField(_("target audience"), blank=True, max_length=LONG_TEXT_MAX)
    expected_results = LongTextField(_("expected results"), blank=True, max_length=LONG_TEXT_MAX)
    platform = ShortTextField(
        _("meeting platform"), max_length=60, blank=True, help_text=_("The meeting platform, e.g. WebEx.")
    )
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default="en",
        help_text=_("The workshop's language: participants who chose none see pages and mails in it."),
    )
    additional_languages = models.JSONField(
        _("additional languages"),
        default=list,
        blank=True,
        validators=[validate_additional_languages],
        help_text=_(
            "A bilingual run: the other languages its content is offered in (codes such as fr, es). Participants "
            "see translated titles and texts where they exist, the workshop's language otherwise."
        ),
    )
    reference_timezone = models.CharField(
        _("reference time zone"),
        max_length=64,
        default="America/Port_of_Spain",
        validators=[validate_timezone],
        help_text=_("The zone the programme is written in; every page shows it beside the participant's own."),
    )
    reference_timezone_label = models.CharField(
        _("reference time zone abbreviation"),
        max_length=16,
        default="ECT",
        help_text=_("Short label of the reference zone, e.g. ECT."),
    )
    is_published = models.BooleanField(
        _("published"),
        default=True,
        help_text=_("Published workshops have a public programme page (without participant data)."),
    )
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="facilitated_workshops",
        blank=True,
        verbose_name=_("facilitators"),
        help_text=_("Facilitators see the work of every participant of this workshop."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("workshop")
        verbose_name_plural = _("workshops")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("sessions:programme", args=[self.slug])

    @property
    def content_languages(self) -> list[str]:
        """The workshop's language first, then the additional ones of a bilingual run."""
        return [self.language, *[code for code in self.additional_languages or [] if code != self.language]]

    def clean(self):
        super().clean()
        if self.language in (self.additional_languages or []):
            raise ValidationError({"additional_languages": _("The workshop's own language is not an additional one.")})

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.reference_timezone)

    @property
    def objective_list(self):
        """In the reader's language where translated (the original otherwise)."""
        return translated_lines(self, "objectives")

    @property
    def key_feature_list(self):
        return split_lines(self.key_features)


class CalendarWatched:
    """Remembers, for a row read from the database, the fields a calendar event shows (CALENDAR_FIELDS)."""

    CALENDAR_FIELDS: tuple[str, ...] = ()

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._calendar_loaded = {
            name: deepcopy(getattr(instance, name)) for name in cls.CALENDAR_FIELDS if name in instance.__dict__
        }
        return instance

    def calendar_changed(self) -> bool:
        loaded = getattr(self, "_calendar_loaded", None)
        return bool(self.pk and loaded and any(getattr(self, name) != value for name, value in loaded.items()))

    def remember_calendar_fields(self) -> None:
        # Copies: a JSON field (translations) changed in place must still differ from what was loaded.
        self._calendar_loaded = {name: deepcopy(getattr(self, name)) for name in self.CALENDAR_FIELDS}


def revise_calendar_events(occurrences) -> None:
    """Occurrences whose calendar event shows something that changed: raise SEQUENCE, set LAST-MODIFIED."""
    occurrences.update(calendar_sequence=F("calendar_sequence") + 1, calendar_changed_at=timezone.now())


class Cohort(CalendarWatched, models.Model):
    """A group of participants that follows every session together (Group A, Group B)."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="cohorts", verbose_name=_("workshop"))
    name = ShortTextField(_("name"), max_length=60)
    capacity = models.PositiveSmallIntegerField(_("capacity"), default=20)
    seats_per_country = models.PositiveSmallIntegerField(
        _("seats per country"), default=2, help_text=_("How many participants one country may send to this group.")
    )
    meeting_link = models.URLField(
        _("meeting link"),
        blank=True,
        validators=[validate_web_url],
        help_text=_("Join link used when an occurrence has none of its own."),
    )

    CALENDAR_FIELDS = ("meeting_link",)

    class Meta:
        ordering = ["workshop", "name"]
        verbose_name = _("group")
        verbose_name_plural = _("groups")
        constraints = [models.UniqueConstraint(fields=["workshop", "name"], name="cohort_unique_name_per_workshop")]

    def __str__(self):
        return f"{self.name} · {self.workshop.slug}"

    def save(self, *args, **kwargs):
        changed = self.calendar_changed()
        super().save(*args, **kwargs)
        if changed:
            # The group's link is the join link of every occurrence that has none of its own.
            revise_calendar_events(self.occurrences.filter(meeting_link=""))
        self.remember_calendar_fields()


class Session(CalendarWatched, models.Model):
    TRANSLATABLE_FIELDS = ("title", "objectives", "preparation_brief")
    TRANSLATION_SOURCE = "workshop"
    translations = TranslationsField()
    workshop = models.ForeignKey(
        Workshop, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("workshop")
    )
    number = models.PositiveSmallIntegerField(_("number"), validators=[MinValueValidator(1)])
    title = ShortTextField(_("title"), max_length=TITLE_MAX)
    objectives = LongTextField(
        _("objectives"), blank=True, max_length=LONG_TEXT_MAX, help_text=_("One objective per line.")
    )
    preparation_brief = LongTextField(_("preparation brief"), blank=True, max_length=LONG_TEXT_MAX)
    key_messages = LongTextField(
        _("planned key messages"),
        blank=True,
        max_length=LONG_TEXT_MAX,
        help_text=_("Planned key messages, one per line."),
    )

    class Meta:
        ordering = ["workshop", "number"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [
            models.UniqueConstraint(fields=["workshop", "number"], name="session_unique_number_per_workshop"),
            models.CheckConstraint(condition=Q(number__gte=1), name="session_number_positive"),
        ]

    # The translations hold the translated titles each reader's calendar shows (sessions_app.calendar).
    CALENDAR_FIELDS = ("number", "title", "translations")

    def __str__(self):
        # The original title: the admin edits it, and a translation would hide which row is which.
        return gettext("Session %(number)s: %(title)s") % {"number": self.number, "title": self.title}

    def save(self, *args, **kwargs):
        changed = self.calendar_changed()
        super().save(*args, **kwargs)
        if changed:
            revise_calendar_events(self.occurrences.all())  # number and (translated) title make the SUMMARY
        self.remember_calendar_fields()

    @property
    def objective_list(self):
        """In the reader's language where translated (the original otherwise)."""
        return translated_lines(self, "objectives")

    @property
    def key_message_list(self):
        return split_lines(self.key_messages)


class SessionOccurrence(CalendarWatched, models.Model):
    """One session delivered to one group, with its own start and end."""

    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="occurrences", verbose_name=_("session")
    )
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="occurrences", verbose_name=_("group"))
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    meeting_link = models.URLField(
        _("meeting link"),
        blank=True,
        validators=[validate_web_url],
        help_text=_("Leave empty to use the group's link."),
    )
    # Calendar programs keep an imported event unless its SEQUENCE goes up: raised whenever what the
    # calendar shows (times, join link) changes, with the moment of the change as LAST-MODIFIED.
    calendar_sequence = models.PositiveIntegerField(
        _("calendar revision"),
        default=0,
        editable=False,
        help_text=_("Raised each time the event's times or link change."),
    )
    calendar_changed_at = models.DateTimeField(_("calendar event last changed"), default=timezone.now, editable=False)

    CALENDAR_FIELDS = ("starts_at", "ends_at", "meeting_link")

    class Meta:
        ordering = ["starts_at", "cohort__name"]
        verbose_name = _("session occurrence")
        verbose_name_plural = _("session occurrences")
        # The reminder dispatcher looks for the occurrences starting or ending in a window, across all workshops.
        indexes = [
            models.Index(fields=["starts_at"], name="occurrence_starts_at"),
            models.Index(fields=["ends_at"], name="occurrence_ends_at"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["session", "cohort"], name="occurrence_unique_session_cohort"),
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="occurrence_ends_after_start"),
        ]

    def __str__(self):
        when = reference_text(self.starts_at, self.session.workshop, date="day_year") or gettext("Not scheduled")
        return gettext("Session %(number)s · %(group)s · %(when)s") % {
            "number": self.session.number,
            "group": self.cohort.name,
            "when": when,
        }

    def save(self, *args, **kwargs):
        if self.calendar_changed():
            self.calendar_sequence += 1
            self.calendar_changed_at = timezone.now()
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "calendar_sequence", "calendar_changed_at"}
        super().save(*args, **kwargs)
        self.remember_calendar_fields()

    def get_absolute_url(self):
        return reverse("sessions:detail", args=[self.pk])

    @property
    def join_link(self) -> str:
        # Only an http(s) address becomes the participants' Join button, whatever was stored.
        return web_url_or_empty(self.meeting_link or self.cohort.meeting_link)

    @property
    def duration(self) -> timedelta:
        return self.ends_at - self.starts_at

    def clean(self):
        errors = {}
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = gettext("An occurrence must end after it starts.")
        if self.session_id and self.cohort_id and self.session.workshop_id != self.cohort.workshop_id:
            errors["cohort"] = gettext("This group belongs to another workshop.")
        if errors:
            raise ValidationError(errors)
        if self.session_id and self.cohort_id and self.starts_at and self.ends_at:
            self._check_order_within_group()

    def _check_order_within_group(self):
        # Sessions build on each other, so a group must meet them in number order.
        siblings = (
            SessionOccurrence.objects.filter(cohort_id=self.cohort_id).exclude(pk=self.pk).select_related("session")
        )
        for other in siblings:
            if other.session.number < self.session.number and other.ends_at > self.starts_at:
                raise ValidationError(
                    {
                        "starts_at": gettext("Session %(number)s of this group ends after this one starts.")
                        % {"number": other.session.number}
                    }
                )
            if other.session.number > self.session.number and other.starts_at < self.ends_at:
                raise ValidationError(
                    {
                        "starts_at": gettext("Session %(number)s of this group starts before this one ends.")
                        % {"number": other.session.number}
                    }
                )


class Speaker(models.Model):
    honorific = ShortTextField(_("honorific"), max_length=20, blank=True)
    name = ShortTextField(_("name"), max_length=200)
    position = ShortTextField(_("position"), max_length=300, blank=True)
    organization = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="speakers",
        verbose_name=_("organization"),
    )
    email = models.EmailField(_("e-mail address"), blank=True)
    bio = LongTextField(_("short biography"), blank=True, max_length=TEXT_MAX)
    key = models.SlugField(_("reference key"), unique=True, help_text=_("Stable reference used in programme files."))

    class Meta:
        ordering = ["name"]
        verbose_name = _("speaker")
        verbose_name_plural = _("speakers")

    def __str__(self):
        return self.display_name

    @property
    def display_name(self):
        return f"{self.honorific} {self.name}".strip()


class FocalPoint(models.Model):
    workshop = models.ForeignKey(
        Workshop, on_delete=models.CASCADE, related_name="focal_points", verbose_name=_("workshop")
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="focal_points", verbose_name=_("organization")
    )
    honorific = ShortTextField(_("honorific"), max_length=20, blank=True)
    name = ShortTextField(_("name"), max_length=200)
    role = ShortTextField(_("role"), max_length=300, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["workshop", "order", "pk"]
        verbose_name = _("focal point")
        verbose_name_plural = _("focal points")

    def __str__(self):
        return f"{self.honorific} {self.name} ({self.organization})".strip()


class AgendaItem(models.Model):
    TRANSLATABLE_FIELDS = ("section", "title", "description")
    TRANSLATION_SOURCE = "session__workshop"
    translations = TranslationsField()

    class Kind(models.TextChoices):
        WELCOME = "welcome", _("Welcome")
        PRESENTATION = "presentation", _("Presentation")
        VIDEO = "video", _("Video")
        ACTIVITY = "activity", _("Activity")
        BREAKOUT = "breakout", _("Breakout rooms")
        PLENARY = "plenary", _("Plenary")
        POLL = "poll", _("Poll")
        DEBATE = "debate", _("Debate")
        BRAINSTORM = "brainstorm", _("Brainstorm")
        BREAK = "break", _("Break")
        CONCLUSION = "conclusion", _("Conclusion")

    class TeamFormation(models.TextChoices):
        NONE = "", "—"
        RANDOM = "random", _("Random")
        COUNTRY = "country", _("By country")
        FACILITATOR = "facilitator", _("Set by the facilitator")

    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="agenda_items", verbose_name=_("session")
    )
    offset_minutes = models.PositiveSmallIntegerField(
        _("minutes after the start"), help_text=_("Minutes after the session starts.")
    )
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), validators=[MinValueValidator(1)])
    section = ShortTextField(
        _("section"), max_length=120, blank=True, help_text=_("Heading the item sits under, if any.")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.PRESENTATION)
    title = ShortTextField(_("title"), max_length=TITLE_MAX)
    description = LongTextField(_("description"), blank=True, max_length=TEXT_MAX)
    breakout_rooms = models.PositiveSmallIntegerField(_("number of breakout rooms"), null=True, blank=True)
    breakout_minutes = models.PositiveSmallIntegerField(_("minutes in breakout rooms"), null=True, blank=True)
    team_formation = models.CharField(
        _("team formation"), max_length=20, choices=TeamFormation.choices, blank=True, default=""
    )

    class Meta:
        ordering = ["session", "offset_minutes"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        constraints = [
            models.UniqueConstraint(fields=["session", "offset_minutes"], name="agenda_item_unique_start"),
            models.CheckConstraint(condition=Q(duration_minutes__gte=1), name="agenda_item_positive_duration"),
            models.CheckConstraint(
                condition=Q(breakout_rooms__isnull=True) | Q(breakout_rooms__gte=1),
                name="agenda_item_rooms_positive",
            ),
        ]

    def __str__(self):
        return gettext("+%(minutes)s min · %(title)s") % {"minutes": self.offset_minutes, "title": self.title}

    @property
    def end_offset_minutes(self) -> int:
        return self.offset_minutes + self.duration_minutes

    def starts_at(self, occurrence: SessionOccurrence):
        return occurrence.starts_at + timedelta(minutes=self.offset_minutes)

    def ends_at(self, occurrence: SessionOccurrence):
        return occurrence.starts_at + timedelta(minutes=self.end_offset_minutes)

    def clean(self):
        if self.offset_minutes is None or not self.duration_minutes or not self.session_id:
            return
        end = self.end_offset_minutes
        occurrences = list(self.session.occurrences.all())
        if occurrences:
            shortest = min(int(o.duration.total_seconds() // 60) for o in occurrences)
            if end > shortest:
                message = gettext(
                    "The item ends %(end)s minutes in, after the session ends (%(shortest)s minutes)."
                ) % {"end": end, "shortest": shortest}
                raise ValidationError({"duration_minutes": message})
        overlapping = (
            AgendaItem.objects.filter(session_id=self.session_id, offset_minutes__lt=end)
            .exclude(pk=self.pk)
            .filter(offset_minutes__gte=0)
        )
        for other in overlapping:
            if other.end_offset_minutes > self.offset_minutes:
                raise ValidationError({"offset_minutes": gettext("Overlaps “%(title)s”.") % {"title": other.title}})


class AgendaItemSpeaker(models.Model):
    class Role(models.TextChoices):
        SPEAKER = "speaker", _("Speaker")
        FACILITATOR = "facilitator", _("Facilitator")
        PARTICIPANTS = "participants", _("Participants")

    item = models.ForeignKey(
        AgendaItem, on_delete=models.CASCADE, related_name="speaker_roles", verbose_name=_("agenda item")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.SPEAKER)
    speaker = models.ForeignKey(
        Speaker,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agenda_roles",
        verbose_name=_("speaker"),
    )
    organization = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agenda_roles",
        verbose_name=_("organization"),
        help_text=_("For an organization speaking as a body."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["item", "order", "pk"]
        verbose_name = _("speaker")
        verbose_name_plural = _("speakers")
        constraints = [
            models.CheckConstraint(
                condition=~Q(role="speaker") | Q(speaker__isnull=False) | Q(organization__isnull=False),
                name="agenda_speaker_names_someone",
            )
        ]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        if self.speaker_id:
            return self.speaker.display_name
        if self.organization_id:
            return self.organization.short_name
        return self.get_role_display()


class PreparationTask(models.Model):
    TRANSLATABLE_FIELDS = ("title", "instructions")
    TRANSLATION_SOURCE = "session__workshop"
    translations = TranslationsField()

    class Kind(models.TextChoices):
        READING = "reading", _("Reading")
        PRESENTATION = "presentation", _("Presentation")
        SLIDES = "slides", _("Slides")
        ASSESSMENT = "assessment", _("Assessment")
        REFLECTION_NOTES = "reflection_notes", _("Reflection notes")

    class PerformedBy(models.TextChoices):
        INDIVIDUAL = "individual", _("Each participant")
        COUNTRY_TEAM = "country_team", _("Country team")
        DESIGNATED_TEAM = "designated_team", _("Designated team")

    class Deliverable(models.TextChoices):
        NONE = "none", _("Nothing to hand in (mark as done)")
        TEXT = "text", _("Text")
        FILE = "file", _("A file")
        LINK = "link", _("A link")

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="tasks", verbose_name=_("session"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title = ShortTextField(_("title"), max_length=TITLE_MAX)
    instructions = LongTextField(_("instructions"), blank=True, max_length=LONG_TEXT_MAX)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.READING)
    performed_by = models.CharField(
        _("done by"), max_length=20, choices=PerformedBy.choices, default=PerformedBy.INDIVIDUAL
    )
    deliverable = models.CharField(
        _("deliverable"), max_length=10, choices=Deliverable.choices, default=Deliverable.NONE
    )
    is_optional = models.BooleanField(_("optional"), default=False)
    due_session = models.ForeignKey(
        Session,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tasks_due_before",
        verbose_name=_("due before session"),
        help_text=_("Due before this session of the group starts; empty means the task's own session."),
    )
    due_days_before = models.PositiveSmallIntegerField(
        _("days before that session"),
        default=0,
        help_text=_("How many days before that session starts the task is due."),
    )

    class Meta:
        ordering = ["session", "order", "pk"]
        verbose_name = _("preparation task")
        verbose_name_plural = _("preparation tasks")
        constraints = [models.UniqueConstraint(fields=["session", "title"], name="task_unique_title_per_session")]

    def __str__(self):
        # Translators: "S" abbreviates "Session" (S2 = Session 2).
        return gettext("S%(number)s · %(title)s") % {"number": self.session.number, "title": self.title}

    @property
    def is_private(self) -> bool:
        """Reflection notes are for their author alone."""
        return self.kind == self.Kind.REFLECTION_NOTES

    @property
    def due_session_number(self) -> int:
        return self.due_session.number if self.due_session_id else self.session.number

    def due_rule_text(self) -> str:
        number = self.due_session_number
        if self.due_days_before:
            return ngettext(
                "%(count)s day before Session %(number)s starts",
                "%(count)s days before Session %(number)s starts",
                self.due_days_before,
            ) % {"count": self.due_days_before, "number": number}
        return gettext("before Session %(number)s starts") % {"number": number}

    def due_at(self, occurrences_by_session_number: dict[int, SessionOccurrence]):
        """The due moment for one group, given that group's occurrences keyed by session number."""
        occurrence = occurrences_by_session_number.get(self.due_session_number)
        if occurrence is None:
            return None
        return occurrence.starts_at - timedelta(days=self.due_days_before)

    def clean(self):
        if self.due_session_id and self.session_id and self.due_session.workshop_id != self.session.workshop_id:
            raise ValidationError({"due_session": gettext("Pick a session of the same workshop.")})


class Resource(models.Model):
    task = models.ForeignKey(
        PreparationTask, on_delete=models.CASCADE, related_name="resources", verbose_name=_("task")
    )
    title = ShortTextField(_("title"), max_length=TITLE_MAX)
    url = models.URLField(_("web address"), blank=True, max_length=500, validators=[validate_web_url])
    pages = ShortTextField(_("pages"), max_length=40, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["task", "order", "pk"]
        verbose_name = _("resource")
        verbose_name_plural = _("resources")

    def __str__(self):
        return self.title
