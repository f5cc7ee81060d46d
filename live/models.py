"""What happens during a live session, kept per group: attendance, breakout draws, polls, boards, debates,
key messages, and the certificates that follow from attendance.

Polls are defined on the Session (both groups get the same question) and run per
SessionOccurrence; everything else belongs to one occurrence.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

from common.text import TEXT_MAX, TITLE_MAX, LongTextField, ShortTextField
from common.translations import TranslationsField
from sessions_app.models import split_lines

from .breakout import CountryRule


class BreakoutDraw(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    occurrence = models.ForeignKey(
        "sessions_app.SessionOccurrence",
        on_delete=models.CASCADE,
        related_name="breakout_draws",
        verbose_name=_("session occurrence"),
    )
    agenda_item = models.ForeignKey(
        "sessions_app.AgendaItem",
        on_delete=models.CASCADE,
        related_name="breakout_draws",
        verbose_name=_("agenda item"),
    )
    seed = models.PositiveIntegerField(_("seed"), help_text=_("The same participants and seed give the same rooms."))
    room_count = models.PositiveSmallIntegerField(_("number of rooms"), validators=[MinValueValidator(1)])
    room_size = models.PositiveSmallIntegerField(
        _("people per room"),
        null=True,
        blank=True,
        help_text=_("Set when the facilitator asked for a room size rather than a number."),
    )
    country_rule = models.CharField(
        _("country rule"),
        max_length=10,
        choices=[
            (CountryRule.MIX.value, _("Mixed")),
            (CountryRule.APART.value, _("Keep a country's participants apart")),
            (CountryRule.TOGETHER.value, _("Keep a country's participants together")),
        ],
        default=CountryRule.MIX.value,
    )
    avoid_repeat_pairs = models.BooleanField(_("avoid pairs who already met"), default=True)
    repeated_pairs = models.PositiveSmallIntegerField(
        _("repeated pairs"), default=0, help_text=_("Pairs who met in an earlier draw.")
    )
    country_conflicts = models.PositiveSmallIntegerField(
        _("exceptions to the country rule"), default=0, help_text=_("Where the country rule gave way.")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    published_at = models.DateTimeField(_("date published"), null=True, blank=True)

    class Meta:
        ordering = ["occurrence", "agenda_item", "-created_at"]
        verbose_name = _("breakout draw")
        verbose_name_plural = _("breakout draws")
        constraints = [
            # Redrawing replaces the draft; published draws stay for the record.
            models.UniqueConstraint(
                fields=["occurrence", "agenda_item"], condition=Q(status="draft"), name="breakout_one_draft_per_item"
            ),
            models.CheckConstraint(condition=Q(room_count__gte=1), name="breakout_rooms_positive"),
            models.CheckConstraint(
                condition=Q(status="draft", published_at__isnull=True)
                | Q(status="published", published_at__isnull=False),
                name="breakout_published_has_date",
            ),
        ]

    def __str__(self):
        return f"{self.agenda_item.title} · {self.occurrence.cohort.name} · {self.get_status_display()}"

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    def clean(self):
        if self.occurrence_id and self.agenda_item_id and self.agenda_item.session_id != self.occurrence.session_id:
            raise ValidationError({"agenda_item": _("Pick an agenda item of this occurrence's session.")})


def room_name(number: int) -> str:
    # WebEx names pre-assigned rooms "Breakout session 1", …; the same names avoid confusion on the day, so the
    # translation should be the one WebEx itself shows in that language.
    return pgettext("WebEx's name of a pre-assigned breakout room", "Breakout session %(number)s") % {"number": number}


class BreakoutAssignment(models.Model):
    draw = models.ForeignKey(BreakoutDraw, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("draw"))
    participant = models.ForeignKey(
        "participants.Participant",
        on_delete=models.CASCADE,
        related_name="breakout_assignments",
        verbose_name=_("participant"),
    )
    room_number = models.PositiveSmallIntegerField(_("room number"), validators=[MinValueValidator(1)])

    class Meta:
        ordering = ["draw", "room_number", "participant"]
        verbose_name = _("breakout assignment")
        verbose_name_plural = _("breakout assignments")
        constraints = [
            models.UniqueConstraint(fields=["draw", "participant"], name="breakout_one_room_per_person"),
            models.CheckConstraint(condition=Q(room_number__gte=1), name="breakout_room_number_positive"),
        ]

    def __str__(self):
        return f"{self.room_name}: {self.participant}"

    @property
    def room_name(self) -> str:
        return room_name(self.room_number)


class Poll(models.Model):
    """A question for a session; each group's occurrence runs it separately, so groups can be compared."""

    TRANSLATABLE_FIELDS = ("question",)
    TRANSLATION_SOURCE = "session__workshop"
    translations = TranslationsField()

    class Kind(models.TextChoices):
        SINGLE = "single", _("Single choice")
        MULTIPLE = "multiple", _("Multiple choice")

    session = models.ForeignKey(
        "sessions_app.Session", on_delete=models.CASCADE, related_name="polls", verbose_name=_("session")
    )
    agenda_item = models.ForeignKey(
        "sessions_app.AgendaItem",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="polls",
        verbose_name=_("agenda item"),
    )
    question = ShortTextField(_("question"), max_length=TITLE_MAX)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.SINGLE)
    max_choices = models.PositiveSmallIntegerField(
        _("maximum choices"),
        null=True,
        blank=True,
        validators=[MinValueValidator(2)],
        help_text=_("Multiple choice: at most this many."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["session", "order", "pk"]
        verbose_name = _("poll")
        verbose_name_plural = _("polls")
        constraints = [
            models.UniqueConstraint(fields=["session", "question"], name="poll_unique_question_per_session"),
            models.CheckConstraint(
                condition=Q(max_choices__isnull=True) | Q(kind="multiple", max_choices__gte=2),
                name="poll_max_choices_for_multiple",
            ),
        ]

    def __str__(self):
        # Translators: "S" abbreviates "Session" (S2 = Session 2).
        return gettext("S%(number)s · %(question)s") % {"number": self.session.number, "question": self.question}

    @property
    def is_multiple(self) -> bool:
        return self.kind == self.Kind.MULTIPLE

    def clean(self):
        if self.agenda_item_id and self.session_id and self.agenda_item.session_id != self.session_id:
            raise ValidationError({"agenda_item": _("Pick an agenda item of this session.")})
        if self.kind == self.Kind.SINGLE and self.max_choices:
            raise ValidationError({"max_choices": _("Only multiple-choice questions take a maximum.")})


class PollOption(models.Model):
    TRANSLATABLE_FIELDS = ("text",)
    TRANSLATION_SOURCE = "poll__session__workshop"
    translations = TranslationsField()
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="options", verbose_name=_("poll"))
    text = ShortTextField(_("text"), max_length=200)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["poll", "order", "pk"]
        verbose_name = _("poll option")
        verbose_name_plural = _("poll options")
        constraints = [models.UniqueConstraint(fields=["poll", "text"], name="poll_option_unique_text")]

    def __str__(self):
        return self.text


class PollRun(models.Model):
    """A poll put to one group during its occurrence."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="runs", verbose_name=_("poll"))
    occurrence = models.ForeignKey(
        "sessions_app.SessionOccurrence",
        on_delete=models.CASCADE,
        related_name="poll_runs",
        verbose_name=_("session occurrence"),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    results_visible = models.BooleanField(
        _("results shown to participants"), default=False, help_text=_("The facilitator always sees the results.")
    )
    opened_at = models.DateTimeField(_("poll opened"))
    closed_at = models.DateTimeField(_("poll closed"), null=True, blank=True)

    class Meta:
        ordering = ["occurrence", "poll"]
        verbose_name = _("poll run")
        verbose_name_plural = _("poll runs")
        constraints = [models.UniqueConstraint(fields=["poll", "occurrence"], name="poll_runs_once_per_occurrence")]

    def __str__(self):
        return f"{self.poll.question} · {self.occurrence.cohort.name}"

    def get_absolute_url(self):
        return reverse("live:poll_vote", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    def clean(self):
        if self.poll_id and self.occurrence_id and self.poll.session_id != self.occurrence.session_id:
            raise ValidationError({"occurrence": _("Pick an occurrence of the poll's session.")})


class PollVote(models.Model):
    run = models.ForeignKey(PollRun, on_delete=models.CASCADE, related_name="votes", verbose_name=_("poll run"))
    participant = models.ForeignKey(
        "participants.Participant",
        on_delete=models.CASCADE,
        related_name="poll_votes",
        verbose_name=_("participant"),
    )
    options = models.ManyToManyField(PollOption, related_name="votes", verbose_name=_("options"))
    created_at = models.DateTimeField(_("voted"), auto_now_add=True)

    class Meta:
        ordering = ["run", "created_at"]
        verbose_name = _("poll vote")
        verbose_name_plural = _("poll votes")
        constraints = [models.UniqueConstraint(fields=["run", "participant"], name="poll_one_vote_per_participant")]

    def __str__(self):
        return f"{self.participant} · {self.run}"


class AgendaActivity(models.Model):
    """An activity run once for one agenda item of one occurrence (a board, a debate)."""

    occurrence = models.ForeignKey(
        "sessions_app.SessionOccurrence",
        on_delete=models.CASCADE,
        related_name="%(class)ss",
        verbose_name=_("session occurrence"),
    )
    agenda_item = models.ForeignKey(
        "sessions_app.AgendaItem", on_delete=models.CASCADE, related_name="%(class)ss", verbose_name=_("agenda item")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["occurrence", "agenda_item"]
        constraints = [models.UniqueConstraint(fields=["occurrence", "agenda_item"], name="%(class)s_once_per_item")]

    def clean(self):
        if self.occurrence_id and self.agenda_item_id and self.agenda_item.session_id != self.occurrence.session_id:
            raise ValidationError({"agenda_item": _("Pick an agenda item of this occurrence's session.")})


class Board(AgendaActivity):
    """A brainstorming board for one agenda item of one occurrence."""

    prompt = ShortTextField(_("prompt"), max_length=500, multiline=True)
    is_open = models.BooleanField(
        _("open"), default=True, help_text=_("Open boards take ideas and votes; closed ones stay readable.")
    )

    class Meta(AgendaActivity.Meta):
        verbose_name = _("board")
        verbose_name_plural = _("boards")

    def __str__(self):
        return f"{self.prompt[:60]} · {self.occurrence.cohort.name}"

    def get_absolute_url(self):
        return reverse("live:board", args=[self.pk])


class BoardHeading(models.Model):
    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="headings", verbose_name=_("board"))
    title = ShortTextField(_("title"), max_length=120)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["board", "order", "pk"]
        verbose_name = _("board heading")
        verbose_name_plural = _("board headings")
        constraints = [models.UniqueConstraint(fields=["board", "title"], name="board_heading_unique_title")]

    def __str__(self):
        return self.title


IDEA_MAX_LENGTH = 280


class Idea(models.Model):
    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="ideas", verbose_name=_("board"))
    author = models.ForeignKey(
        "participants.Participant", on_delete=models.CASCADE, related_name="board_ideas", verbose_name=_("author")
    )
    text = ShortTextField(_("text"), max_length=IDEA_MAX_LENGTH, multiline=True)
    heading = models.ForeignKey(
        BoardHeading,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="ideas",
        verbose_name=_("heading"),
    )
    created_at = models.DateTimeField(_("posted"), auto_now_add=True)

    class Meta:
        ordering = ["board", "created_at", "pk"]
        verbose_name = _("idea")
        verbose_name_plural = _("ideas")

    def __str__(self):
        return self.text[:80]

    def clean(self):
        if self.heading_id and self.board_id and self.heading.board_id != self.board_id:
            raise ValidationError({"heading": _("Pick a heading of this board.")})


class IdeaVote(models.Model):
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="votes", verbose_name=_("idea"))
    participant = models.ForeignKey(
        "participants.Participant",
        on_delete=models.CASCADE,
        related_name="idea_votes",
        verbose_name=_("participant"),
    )
    created_at = models.DateTimeField(_("voted"), auto_now_add=True)

    class Meta:
        ordering = ["idea", "created_at"]
        verbose_name = _("idea vote")
        verbose_name_plural = _("idea votes")
        constraints = [models.UniqueConstraint(fields=["idea", "participant"], name="idea_one_vote_per_participant")]

    def __str__(self):
        return f"{self.participant} → {self.idea}"


class Debate(AgendaActivity):
    motion = ShortTextField(_("motion"), max_length=500, multiline=True)
    statements_open = models.BooleanField(
        _("closing statements open"),
        default=True,
        help_text=_("Participants can write or change their closing statement while this is on."),
    )

    class Meta(AgendaActivity.Meta):
        verbose_name = _("debate")
        verbose_name_plural = _("debates")

    def __str__(self):
        return f"{self.motion[:60]} · {self.occurrence.cohort.name}"

    def get_absolute_url(self):
        return reverse("live:debate", args=[self.pk])


STATEMENT_MAX_LENGTH = 1000


class DebateSide(models.Model):
    class Side(models.TextChoices):
        FOR = "for", _("For the motion")
        AGAINST = "against", _("Against the motion")

    class AssignedBy(models.TextChoices):
        DRAW = "draw", _("Random draw")
        FACILITATOR = "facilitator", _("Facilitator")

    debate = models.ForeignKey(Debate, on_delete=models.CASCADE, related_name="sides", verbose_name=_("debate"))
    participant = models.ForeignKey(
        "participants.Participant",
        on_delete=models.CASCADE,
        related_name="debate_sides",
        verbose_name=_("participant"),
    )
    side = models.CharField(_("side"), max_length=10, choices=Side.choices)
    assigned_by = models.CharField(_("assigned by"), max_length=12, choices=AssignedBy.choices, default=AssignedBy.DRAW)
    closing_statement = LongTextField(_("closing statement"), blank=True, max_length=STATEMENT_MAX_LENGTH)
    statement_updated_at = models.DateTimeField(_("statement updated"), null=True, blank=True)

    class Meta:
        ordering = ["debate", "side", "participant"]
        verbose_name = _("debate side")
        verbose_name_plural = _("debate sides")
        constraints = [
            models.UniqueConstraint(fields=["debate", "participant"], name="debate_one_side_per_participant"),
            models.CheckConstraint(condition=Q(side__in=["for", "against"]), name="debate_known_side"),
        ]

    def __str__(self):
        return f"{self.participant} · {self.get_side_display()}"


class KeyMessages(models.Model):
    """What the facilitator recorded at the end of an occurrence; the group sees it on the session page."""

    occurrence = models.OneToOneField(
        "sessions_app.SessionOccurrence",
        on_delete=models.CASCADE,
        related_name="recorded_key_messages",
        verbose_name=_("session occurrence"),
    )
    text = LongTextField(_("messages"), max_length=TEXT_MAX, help_text=_("One key message per line."))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["occurrence"]
        verbose_name = _("key messages of an occurrence")
        verbose_name_plural = _("key messages of occurrences")

    def __str__(self):
        return _("Key messages · %(occurrence)s") % {"occurrence": self.occurrence}

    @property
    def message_list(self) -> list[str]:
        return split_lines(self.text)
