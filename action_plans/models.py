"""From the SDGs and a country's development priorities to its action plan, and the plan's follow-up.

Reference data (the SDGs, the principles of effective governance, the qualities of public service) ships as
files under ``reference/`` and is loaded by a data migration. A StructuredTask says that a preparation task is
answered in one of this app's forms: each participant's SdgChoice, or a country team's NdpPriorities. The
ActionPlan belongs to a country team (one country in one group) and holds Actions, each linked to the DTCA
dimension it strengthens; ActionUpdates keep the history of their status after the course.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import npgettext, pgettext_lazy

from common.text import TEXT_MAX, LongTextField, ShortTextField, length_within
from common.timefmt import date_text
from common.translations import TranslationsField, translated

MAX_PRIORITIES = 4
MAX_ACTIONS = 40  # per country plan: enough for any real plan, and the plan PDF stays a document
DEFAULT_FOLLOWUP_MONTHS = (3, 6, 12)


# --------------------------------------------------------------------------- reference data


class Sdg(models.Model):
    TRANSLATABLE_FIELDS = ("short_name", "title")
    translations = TranslationsField()
    number = models.PositiveSmallIntegerField(
        _("number"), unique=True, validators=[MinValueValidator(1), MaxValueValidator(17)]
    )
    short_name = models.CharField(_("short name"), max_length=80, help_text=_("e.g. “No poverty”."))
    title = models.CharField(_("title"), max_length=300, help_text=_("The goal as the 2030 Agenda words it."))
    colour = models.CharField(
        _("colour"),
        max_length=7,
        default="#19486A",
        validators=[RegexValidator(r"^#[0-9A-Fa-f]{6}$", _("A colour like #E5243B."))],
        help_text=_("Colour of the goal's official icon, for badges."),
    )

    class Meta:
        ordering = ["number"]
        verbose_name = _("SDG")
        verbose_name_plural = _("SDGs")
        constraints = [
            models.CheckConstraint(condition=Q(number__gte=1) & Q(number__lte=17), name="sdg_number_range"),
        ]

    def __str__(self):
        return _("SDG %(number)s: %(name)s") % {"number": self.number, "name": self.short_name}

    @property
    def label(self) -> str:
        """Number and short name in the reader's language (the UN's official wording, from the reference file)."""
        return f"{self.number} · {translated(self, 'short_name')}"


class GovernancePrinciple(models.Model):
    TRANSLATABLE_FIELDS = ("name", "description")
    translations = TranslationsField()

    class Group(models.TextChoices):
        EFFECTIVENESS = "effectiveness", _("Effectiveness")
        ACCOUNTABILITY = "accountability", _("Accountability")
        INCLUSIVENESS = "inclusiveness", _("Inclusiveness")

    group = models.CharField(_("category"), max_length=20, choices=Group.choices)
    order = models.PositiveSmallIntegerField(
        _("order"), default=0, help_text=_("Position among all eleven principles.")
    )
    name = models.CharField(_("name"), max_length=80, unique=True)
    description = LongTextField(_("description"), blank=True, max_length=TEXT_MAX)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("principle of effective governance")
        verbose_name_plural = _("principles of effective governance")

    def __str__(self):
        return f"{self.name} ({self.get_group_display()})"


class ServiceQuality(models.Model):
    """A quality of public service delivery that an action improves (quality, responsiveness, …)."""

    key = models.SlugField(_("key"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=60)
    description = models.CharField(_("description"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("public-service quality")
        verbose_name_plural = _("public-service qualities")

    def __str__(self):
        return self.name


# --------------------------------------------------------------------------- structured preparation


class StructuredTask(models.Model):
    """Links a preparation task to the form of this app that answers it (or the reference it shows)."""

    class Kind(models.TextChoices):
        SDG_CHOICE = "sdg_choice", _("SDG choice with a one-minute note (each participant)")
        NDP_PRIORITIES = "ndp_priorities", _("Up to four National Development Plan priorities (country team)")
        GOVERNANCE_PRINCIPLES = "governance_principles", _("Show the principles of effective governance (a reading)")

    task = models.OneToOneField(
        "sessions_app.PreparationTask", on_delete=models.CASCADE, related_name="structured", verbose_name=_("task")
    )
    kind = models.CharField(_("form"), max_length=30, choices=Kind.choices)

    class Meta:
        ordering = ["task__session__workshop", "task__session__number", "task__order"]
        verbose_name = _("structured task")
        verbose_name_plural = _("structured tasks")

    def __str__(self):
        return f"{self.task} → {self.get_kind_display()}"

    @property
    def records_answer(self) -> bool:
        return self.kind in (self.Kind.SDG_CHOICE, self.Kind.NDP_PRIORITIES)

    def clean(self):
        if not self.task_id or not self.kind:
            return
        performed_by = self.task.performed_by
        needs = {
            self.Kind.SDG_CHOICE: self.task.PerformedBy.INDIVIDUAL,
            self.Kind.NDP_PRIORITIES: self.task.PerformedBy.COUNTRY_TEAM,
        }.get(self.kind)
        if needs and performed_by != needs:
            wanted = self.task.PerformedBy(needs).label.lower()
            raise ValidationError(
                {"kind": _("This form is filled in by: %(who)s; the task is done by someone else.") % {"who": wanted}}
            )
        if self.kind != self.Kind.GOVERNANCE_PRINCIPLES and self.task.is_private:
            raise ValidationError({"kind": _("Private reflection notes cannot be answered in a shared form.")})


class SdgChoice(models.Model):
    """One participant's SDG for the Session 1 presentation, with their one-minute note."""

    task = models.ForeignKey(
        "sessions_app.PreparationTask", on_delete=models.PROTECT, related_name="sdg_choices", verbose_name=_("task")
    )
    participant = models.ForeignKey(
        "participants.Participant",
        on_delete=models.CASCADE,
        related_name="sdg_choices",
        verbose_name=_("participant"),
    )
    sdg = models.ForeignKey(Sdg, on_delete=models.PROTECT, related_name="choices", verbose_name=_("SDG"))
    note = LongTextField(
        _("one-minute note"),
        max_length=TEXT_MAX,
        help_text=_("How does public service delivery relate to this SDG? About 150 words."),
    )
    created_at = models.DateTimeField(_("first chosen"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["task", "sdg__number", "participant__user__last_name"]
        verbose_name = _("SDG choice")
        verbose_name_plural = _("SDG choices")
        constraints = [models.UniqueConstraint(fields=["task", "participant"], name="sdg_choice_once_per_task")]

    def __str__(self):
        return _("%(name)s: SDG %(number)s") % {"name": self.participant.user, "number": self.sdg.number}


class NdpPriority(models.Model):
    """One of up to four National Development Plan priorities of a country team, for the Session 3 task."""

    task = models.ForeignKey(
        "sessions_app.PreparationTask",
        on_delete=models.PROTECT,
        related_name="ndp_priorities",
        verbose_name=_("task"),
    )
    cohort = models.ForeignKey(
        "sessions_app.Cohort", on_delete=models.CASCADE, related_name="ndp_priorities", verbose_name=_("group")
    )
    country = models.ForeignKey(
        "participants.Country", on_delete=models.PROTECT, related_name="ndp_priorities", verbose_name=_("country")
    )
    position = models.PositiveSmallIntegerField(
        pgettext_lazy("place in a list", "position"),
        validators=[MinValueValidator(1), MaxValueValidator(MAX_PRIORITIES)],
    )
    title = ShortTextField(_("priority"), max_length=200, help_text=_("The priority as your plan names it."))
    sdgs = models.ManyToManyField(Sdg, related_name="ndp_priorities", verbose_name=_("SDGs it serves"))
    digital_contribution = LongTextField(
        _("how innovation and digital transformation help"),
        max_length=TEXT_MAX,
        help_text=_("How can innovation and digital transformation help achieve this priority?"),
    )
    created_by = models.ForeignKey(
        "participants.Participant",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
        verbose_name=_("created by"),
    )
    updated_by = models.ForeignKey(
        "participants.Participant",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
        verbose_name=_("updated by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["cohort", "country__name", "position"]
        verbose_name = _("NDP priority")
        verbose_name_plural = _("NDP priorities")
        constraints = [
            # Positions 1–4, each once per team: the database itself holds a team to four priorities.
            models.UniqueConstraint(fields=["task", "cohort", "country", "position"], name="ndp_priority_position"),
            models.CheckConstraint(
                condition=Q(position__gte=1) & Q(position__lte=MAX_PRIORITIES), name="ndp_priority_at_most_four"
            ),
        ]

    def __str__(self):
        return f"{self.country.name} ({self.cohort.name}) {self.position}: {self.title}"

    def clean(self):
        if self.task_id and self.cohort_id and self.task.session.workshop_id != self.cohort.workshop_id:
            raise ValidationError({"cohort": _("This group belongs to another workshop than the task.")})


# --------------------------------------------------------------------------- settings


def parse_months(text: str) -> list[int]:
    """“3, 6, 12” → [3, 6, 12]; raises ValueError with the reason."""
    parts = [part for part in re.split(r"[\s,;]+", text or "") if part]
    if not parts:
        raise ValueError(_("Give at least one number of months, e.g. “3, 6, 12”."))
    months = []
    for part in parts:
        if not part.isdigit() or not 1 <= int(part) <= 60:
            raise ValueError(_("“%(part)s” is not a number of months between 1 and 60.") % {"part": part})
        months.append(int(part))
    return sorted(set(months))


def validate_months(text: str) -> None:
    try:
        parse_months(text)
    except ValueError as exc:
        raise ValidationError(str(exc)) from exc


class ActionPlanSettings(models.Model):
    workshop = models.OneToOneField(
        "sessions_app.Workshop",
        on_delete=models.CASCADE,
        related_name="action_plan_settings",
        verbose_name=_("workshop"),
    )
    followup_months = models.CharField(
        _("follow-up after (months)"),
        max_length=60,
        default=", ".join(map(str, DEFAULT_FOLLOWUP_MONTHS)),
        validators=[validate_months],
        help_text=_(
            "Months after each group's last session when its country teams are reminded to update their "
            "action plan, e.g. “3, 6, 12”. The reminder itself is a reminder rule of kind “Action plan follow-up”."
        ),
    )

    class Meta:
        verbose_name = _("action-plan settings")
        verbose_name_plural = _("action-plan settings")

    def __str__(self):
        return _("Action plans · %(workshop)s") % {"workshop": self.workshop}

    @property
    def months(self) -> list[int]:
        return parse_months(self.followup_months)


# --------------------------------------------------------------------------- the action plan


class ActionPlan(models.Model):
    """The action plan of one country team: the participants of one country in one group."""

    cohort = models.ForeignKey(
        "sessions_app.Cohort", on_delete=models.CASCADE, related_name="action_plans", verbose_name=_("group")
    )
    country = models.ForeignKey(
        "participants.Country", on_delete=models.PROTECT, related_name="action_plans", verbose_name=_("country")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(
        _("last changed"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("When a team member last changed an action."),
    )
    updated_by = models.ForeignKey(
        "participants.Participant",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
        verbose_name=_("last changed by"),
    )

    class Meta:
        ordering = ["cohort", "country__name"]
        verbose_name = _("action plan")
        verbose_name_plural = _("action plans")
        constraints = [models.UniqueConstraint(fields=["cohort", "country"], name="action_plan_one_per_team")]

    def __str__(self):
        return f"{self.country.name} · {self.cohort.name}"


class TimeFrame(models.TextChoices):
    NEXT_3_MONTHS = "3_months", _("Next 3 months")
    WITHIN_A_YEAR = "1_year", _("Within a year")
    BEYOND = "beyond", _("Beyond a year")


class ActionStatus(models.TextChoices):
    # A context of their own: an action's status agrees with "action" (feminine in French and Spanish), unlike the
    # same English words elsewhere in the portal.
    NOT_STARTED = "not_started", pgettext_lazy("action status", "Not started")
    STARTED = "started", pgettext_lazy("action status", "Started")
    DONE = "done", pgettext_lazy("action status", "Done")
    STALLED = "stalled", pgettext_lazy("action status", "Stalled")


def counted_status(status: str, count: int) -> str:
    """ "4 not started", "1 done": a number of actions with one status, a real plural ("1 non commencée",
    "4 non commencées"), never a count beside the status's label. One message per status: the adjective agrees
    with "action" and the number in French and Spanish."""
    if status == ActionStatus.NOT_STARTED:
        text = npgettext("number of actions with this status", "%(count)s not started", "%(count)s not started", count)
    elif status == ActionStatus.STARTED:
        text = npgettext("number of actions with this status", "%(count)s started", "%(count)s started", count)
    elif status == ActionStatus.DONE:
        text = npgettext("number of actions with this status", "%(count)s done", "%(count)s done", count)
    elif status == ActionStatus.STALLED:
        text = npgettext("number of actions with this status", "%(count)s stalled", "%(count)s stalled", count)
    else:
        raise ValueError(f"no counted text for the action status {status!r}")
    return text % {"count": count}


OPEN_STATUSES = (ActionStatus.NOT_STARTED, ActionStatus.STARTED, ActionStatus.STALLED)


ACTION_TEXTS = ("first_step", "obstacles", "overcoming", "progress_note")


# What Action.last_change names, as services.TRACKED_FIELDS stores it: English keys, translated when shown, so the
# same history reads in every teammate's language.
CHANGE_LABELS = {
    "added": _("added"),
    "action": _("action"),
    "dimension": _("dimension"),
    "SDGs": _("SDGs"),
    "NDP priority": _("NDP priority"),
    "public-service quality": _("public-service quality"),
    "owner": _("owner"),
    "first step": _("first step"),
    "time frame": _("time frame"),
    "obstacles": _("obstacles"),
    "how to overcome them": _("how to overcome them"),
    "status": _("status"),
    "progress note": _("progress note"),
}


class Action(models.Model):
    plan = models.ForeignKey(
        ActionPlan, on_delete=models.CASCADE, related_name="actions", verbose_name=_("action plan")
    )
    title = ShortTextField(_("action"), max_length=200)
    dimension = models.ForeignKey(
        "assessments.Dimension",
        on_delete=models.PROTECT,
        related_name="actions",
        verbose_name=_("DTCA dimension it strengthens"),
    )
    sdgs = models.ManyToManyField(Sdg, blank=True, related_name="actions", verbose_name=_("SDGs it serves"))
    priority = models.ForeignKey(
        NdpPriority,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="actions",
        verbose_name=_("NDP priority it serves"),
    )
    qualities = models.ManyToManyField(
        ServiceQuality,
        blank=True,
        related_name="actions",
        verbose_name=_("public-service quality it improves"),
    )
    owner = ShortTextField(_("owner (institution)"), max_length=200, blank=True)
    first_step = LongTextField(_("first step"), blank=True, max_length=TEXT_MAX)
    time_frame = models.CharField(
        _("time frame"), max_length=10, choices=TimeFrame.choices, default=TimeFrame.WITHIN_A_YEAR
    )
    obstacles = LongTextField(_("obstacles"), blank=True, max_length=TEXT_MAX)
    overcoming = LongTextField(_("how to overcome them"), blank=True, max_length=TEXT_MAX)
    status = models.CharField(
        _("status"), max_length=12, choices=ActionStatus.choices, default=ActionStatus.NOT_STARTED
    )
    progress_note = LongTextField(_("progress note"), blank=True, max_length=TEXT_MAX)
    version = models.PositiveIntegerField(
        _("version"), default=1, editable=False, help_text=_("Raised by every change.")
    )
    created_by = models.ForeignKey(
        "participants.Participant",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
        verbose_name=_("created by"),
    )
    updated_by = models.ForeignKey(
        "participants.Participant",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
        verbose_name=_("updated by"),
    )
    last_change = models.CharField(
        _("last change"),
        max_length=300,
        blank=True,
        editable=False,
        help_text=_("What the last change touched, e.g. “status, first step”."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["plan", "created_at", "pk"]
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        constraints = [
            models.CheckConstraint(condition=Q(status__in=ActionStatus.values), name="action_status_known"),
            models.CheckConstraint(condition=Q(time_frame__in=TimeFrame.values), name="action_time_frame_known"),
            *(length_within(f, TEXT_MAX, model="action") for f in ACTION_TEXTS),
        ]

    def __str__(self):
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status != ActionStatus.DONE

    @property
    def last_change_display(self) -> str:
        """``status, first step`` in the reader's language (the stored keys stay English)."""
        return ", ".join(str(CHANGE_LABELS.get(key, key)) for key in self.last_change.split(", ") if key)

    def clean(self):
        errors = {}
        if self.priority_id and self.plan_id:
            plan = self.plan
            if (self.priority.cohort_id, self.priority.country_id) != (plan.cohort_id, plan.country_id):
                errors["priority"] = _("Choose one of your own team's priorities.")
        if errors:
            raise ValidationError(errors)


class ActionUpdate(models.Model):
    """A team member's note on an action's progress, with the status it had then: the follow-up history."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates", verbose_name=_("action"))
    status = models.CharField(_("status"), max_length=12, choices=ActionStatus.choices)
    previous_status = models.CharField(_("previous status"), max_length=12, choices=ActionStatus.choices, blank=True)
    note = LongTextField(_("note"), blank=True, max_length=TEXT_MAX)
    by = models.ForeignKey(
        "participants.Participant",
        null=True,
        on_delete=models.SET_NULL,
        related_name="action_updates",
        verbose_name=_("team member"),
    )
    at = models.DateTimeField(_("when"))

    class Meta:
        ordering = ["action", "-at", "-pk"]
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")

    def __str__(self):
        return f"{self.action}: {self.get_status_display()} ({date_text(self.at, 'day_year')})"
