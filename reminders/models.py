"""Reminder rules organizers edit, and one delivery row per mail.

A rule says *what* to send and *when* relative to an anchor (a session
occurrence, a task's due moment, an evaluation form). The dispatcher creates a
Delivery per person and target once the moment has come; the unique constraint
on (rule, participant, target) is what makes a second dispatcher run, a
duplicated beat or two dispatchers at once create nothing new.
"""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from common.text import MESSAGE_MAX, TEXT_MAX, LongTextField, ShortTextField

from .kind_choices import kind_choices


class ReminderRule(models.Model):
    workshop = models.ForeignKey(
        "sessions_app.Workshop", on_delete=models.CASCADE, related_name="reminder_rules", verbose_name=_("workshop")
    )
    name = ShortTextField(_("name"), max_length=120)
    # Each app registers its kinds (common.registry.reminder_kinds); the stored names never change.
    kind = models.CharField(_("kind"), max_length=30, choices=kind_choices)
    offset_minutes = models.IntegerField(
        _("offset in minutes"),
        help_text=_(
            "When to send, in minutes from the anchor: negative before it (−10080 = 7 days before), "
            "positive after it. The anchor is the task's due moment, the session's start (session coming up), "
            "the session's end (evaluations) or each follow-up moment after the group's last session (action plan "
            "follow-up: set the months in Action plans → Action-plan settings)."
        ),
    )
    grace_minutes = models.PositiveIntegerField(
        _("grace period in minutes"),
        default=12 * 60,
        help_text=_("If the portal could not send in time, it still sends within this window; later, it skips."),
    )
    is_optional = models.BooleanField(
        _("optional"),
        default=True,
        help_text=_(
            "Participants who opted out of optional reminders do not get it. Join-link mails are not optional."
        ),
    )
    include_optional_tasks = models.BooleanField(
        _("include optional tasks"),
        default=False,
        help_text=_("For preparation rules: also remind about tasks marked optional."),
    )
    intro = LongTextField(
        _("introduction"),
        blank=True,
        max_length=TEXT_MAX,
        help_text=_("Optional paragraph put at the top of the message."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["workshop", "kind", "offset_minutes"]
        verbose_name = _("reminder rule")
        verbose_name_plural = _("reminder rules")
        constraints = [
            models.UniqueConstraint(fields=["workshop", "kind", "offset_minutes"], name="reminder_rule_unique_timing"),
        ]

    def __str__(self):
        return f"{self.name} ({self.timing_text})"

    @property
    def offset(self) -> timedelta:
        return timedelta(minutes=self.offset_minutes)

    @property
    def timing_text(self) -> str:
        minutes = abs(self.offset_minutes)
        if minutes % 1440 == 0 and minutes:
            days = minutes // 1440
            amount = ngettext("%(count)s day", "%(count)s days", days) % {"count": days}
        elif minutes % 60 == 0 and minutes:
            hours = minutes // 60
            amount = ngettext("%(count)s hour", "%(count)s hours", hours) % {"count": hours}
        else:
            amount = ngettext("%(count)s minute", "%(count)s minutes", minutes) % {"count": minutes}
        kind = self.kind_implementation
        anchor = str(kind.anchor_text) if kind is not None else gettext("the anchor")
        if not self.offset_minutes:
            if kind is not None and kind.anchor_is_event:
                return gettext("when %(anchor)s") % {"anchor": anchor}
            return gettext("at %(anchor)s") % {"anchor": anchor}
        if self.offset_minutes < 0:
            return gettext("%(amount)s before %(anchor)s") % {"amount": amount, "anchor": anchor}
        return gettext("%(amount)s after %(anchor)s") % {"amount": amount, "anchor": anchor}

    @property
    def kind_implementation(self):
        """The registered kind this rule sends (None for a kind no installed app registers)."""
        from .kinds import KINDS

        return KINDS.get(self.kind)

    def clean(self):
        kind = self.kind_implementation
        if kind is None:
            return  # the field's choices already refuse it
        if kind.after_only and self.offset_minutes is not None and self.offset_minutes < 0:
            raise ValidationError({"offset_minutes": kind.after_only})
        if kind.never_optional and self.is_optional:
            raise ValidationError({"is_optional": kind.never_optional})


class OneOffMessage(models.Model):
    """A facilitator's message to the participants of a group who have not done a task."""

    cohort = models.ForeignKey(
        "sessions_app.Cohort", on_delete=models.CASCADE, related_name="one_off_messages", verbose_name=_("group")
    )
    task = models.ForeignKey(
        "sessions_app.PreparationTask",
        on_delete=models.CASCADE,
        related_name="one_off_messages",
        verbose_name=_("task"),
    )
    subject = ShortTextField(_("subject"), max_length=200)
    body = LongTextField(_("message"), max_length=MESSAGE_MAX)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("sent by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("one-off message")
        verbose_name_plural = _("one-off messages")

    def __str__(self):
        return f"{self.subject} → {self.cohort.name}"


class Delivery(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        SKIPPED = "skipped", _("Skipped")
        FAILED = "failed", _("Failed")

    rule = models.ForeignKey(
        ReminderRule,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="deliveries",
        verbose_name=_("reminder rule"),
    )
    message = models.ForeignKey(
        OneOffMessage,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="deliveries",
        verbose_name=_("one-off message"),
    )
    participant = models.ForeignKey(
        "participants.Participant",
        on_delete=models.CASCADE,
        related_name="reminder_deliveries",
        verbose_name=_("participant"),
    )
    target_key = models.CharField(
        _("about"),
        max_length=60,
        help_text=_("What the mail is about, e.g. occurrence:12 or task:5:cohort:2."),
    )
    scheduled_for = models.DateTimeField(_("scheduled for"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    enqueued_at = models.DateTimeField(_("queued at"), null=True, blank=True)
    claimed_at = models.DateTimeField(
        _("claimed at"),
        null=True,
        blank=True,
        help_text=_("When a worker took it to send; a claim older than a few minutes is stale."),
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    skip_reason = models.CharField(_("why skipped"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        ordering = ["-scheduled_for", "pk"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        # The admin's list, newest first, reads this index instead of sorting every delivery ever sent.
        indexes = [models.Index(fields=["-scheduled_for", "id"], name="delivery_newest_first")]
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "participant", "target_key"],
                condition=Q(rule__isnull=False),
                name="delivery_once_per_rule_participant_target",
            ),
            models.UniqueConstraint(
                fields=["message", "participant"],
                condition=Q(message__isnull=False),
                name="delivery_once_per_message_participant",
            ),
            models.CheckConstraint(
                condition=Q(rule__isnull=False, message__isnull=True) | Q(rule__isnull=True, message__isnull=False),
                name="delivery_from_rule_or_message",
            ),
        ]

    def __str__(self):
        source = self.rule.name if self.rule_id else gettext("Message: %(subject)s") % {"subject": self.message.subject}
        return f"{source} → {self.participant.user.email} ({self.get_status_display()})"
