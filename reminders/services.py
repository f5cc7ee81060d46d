"""Functions that create and send reminders."""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext

from common import timefmt
from common.i18n import in_language_of
from common.mail import PortalMail
from participants.models import Participant
from participants.selectors import timezone_name_for

from .kinds import KINDS, Target, absolute
from .models import Delivery, OneOffMessage, ReminderRule

logger = logging.getLogger(__name__)

# Mail faults worth another try: the server was down, busy or refused for now.
TRANSIENT_MAIL_ERRORS = (smtplib.SMTPException, ConnectionError, TimeoutError, OSError)
REENQUEUE_AFTER = timedelta(hours=1)
# A delivery whose sending was cut off this many times (say, it crashes the worker every time) is given up.
MAX_CLAIMS = 5


class TransientMailError(Exception):
    pass


@dataclass
class DispatchResult:
    created: int  # rows this run inserted, as far as it could tell; a concurrent run may have won a few
    enqueued: list[int]  # deliveries this run handed to the worker; never the same as another run's


def _opted_out_ids(participant_ids) -> set[int]:
    from participants.selectors import participant_ids_opted_out

    return participant_ids_opted_out(participant_ids)


def recipients_for(rule: ReminderRule, target: Target, joined_by: datetime | None) -> list[int]:
    """Who gets this rule's mail for this target: active members of the group (who joined by the
    reminder's moment, when given), who have not opted out (optional rules) and have not already done
    what it asks."""
    members = Participant.objects.filter(cohort_id=target.cohort_id, is_active=True, user__is_active=True)
    if joined_by is not None:
        members = members.filter(joined_at__lte=joined_by)
    ids = set(members.values_list("pk", flat=True))
    if target.only is not None:
        ids &= target.only
    ids -= target.exclude
    if not ids:
        return []
    if rule.is_optional:
        ids -= _opted_out_ids(ids)
    ids -= KINDS[rule.kind].completed_ids(target, ids)
    return sorted(ids)


def dispatch_due_reminders(now: datetime | None = None) -> DispatchResult:
    """Create the deliveries whose moment has come and enqueue their sending.

    Safe to run any number of times, also concurrently: a delivery is unique per
    rule, participant and target, so a second run creates nothing new.
    """
    now = now or timezone.now()
    created = 0
    for rule in rules_that_may_be_due(now):
        try:
            with transaction.atomic():
                created += _dispatch_rule(rule, now)
        except Exception:
            # One broken rule (say, a programme edited into an odd state) must not stop every other reminder.
            logger.exception("Reminder rule %s (%s) could not be dispatched", rule.pk, rule)
    return DispatchResult(created=created, enqueued=enqueue_pending(now))


def rules_that_may_be_due(now: datetime):
    """The active rules whose workshop has a moment in the rule's sending window; the others cannot send now.

    A rule sends for a target when ``now - grace <= anchor + offset <= now``, so its anchor lies in
    ``[now - offset - grace, now - offset]``. Per kind, the window spanning all its rules' timings is looked up
    in the programme's indexed moments: the cost follows the workshops that are running, not the ones stored
    (a hundred ended workshops add no rule to read and no target to enumerate).
    """
    from django.db.models import Max, Min, Q

    rules = ReminderRule.objects.filter(is_active=True)
    timings = rules.values("kind").annotate(
        first=Min("offset_minutes"), last=Max("offset_minutes"), grace=Max("grace_minutes")
    )
    wanted = Q(pk__in=[])
    for timing in timings.order_by("kind"):
        kind = KINDS.get(timing["kind"])
        if kind is None:
            continue
        earliest = now - timedelta(minutes=timing["last"] + timing["grace"])
        latest = now - timedelta(minutes=timing["first"])
        for workshop_ids in kind.workshops_with_anchor_between(earliest, latest):
            wanted |= Q(kind=timing["kind"], workshop_id__in=workshop_ids)
    return rules.filter(wanted).select_related("workshop")


def _dispatch_rule(rule: ReminderRule, now: datetime) -> int:
    own_dispatch = getattr(KINDS[rule.kind], "dispatch", None)
    if own_dispatch is not None:  # a kind whose recipients are not participants (nominators) sends by itself
        return own_dispatch(rule, now)
    created = 0
    grace = timedelta(minutes=rule.grace_minutes)
    for target in KINDS[rule.kind].targets(rule):
        send_at = target.anchor + rule.offset
        # Not yet due, or due so long ago that sending now would confuse more than help.
        if send_at > now or now - send_at > grace:
            continue
        created += _create_deliveries(rule, target, recipients_for(rule, target, send_at), send_at)
    return created


def _create_deliveries(rule, target, participant_ids, scheduled_for) -> int:
    already = set(
        Delivery.objects.filter(rule=rule, target_key=target.key, participant_id__in=participant_ids).values_list(
            "participant_id", flat=True
        )
    )
    rows = [
        Delivery(rule=rule, participant_id=pid, target_key=target.key, scheduled_for=scheduled_for)
        for pid in participant_ids
        if pid not in already
    ]
    # A concurrent dispatcher may have inserted some of these since; the unique constraint drops them.
    Delivery.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
    return len(rows)


def enqueue_pending(now: datetime | None = None) -> list[int]:
    """Hand pending deliveries to the worker once; re-hand those a worker lost (after an hour) and those a
    worker claimed but never finished (after REMINDER_STALE_CLAIM_SECONDS)."""
    from .tasks import send_delivery

    now = now or timezone.now()
    with transaction.atomic():
        # A claim this old belongs to a worker that died or hung while sending: hand the delivery out again.
        claimed_before = now - timedelta(seconds=settings.REMINDER_STALE_CLAIM_SECONDS)
        stale = Delivery.objects.select_for_update(skip_locked=True).filter(
            status=Delivery.Status.SENDING, claimed_at__lt=claimed_before
        )
        stale_ids: list[int] = []
        given_up: list[int] = []
        for pk, attempts in stale.values_list("pk", "attempts"):
            (given_up if attempts >= MAX_CLAIMS else stale_ids).append(pk)
        if given_up:
            logger.error("Deliveries %s were cut off %s times while sending; giving up", given_up, MAX_CLAIMS)
            Delivery.objects.filter(pk__in=given_up).update(
                status=Delivery.Status.FAILED,
                last_error=gettext("The worker stopped while sending, %(count)s times; not tried again.")
                % {"count": MAX_CLAIMS},
            )
        if stale_ids:
            logger.warning("Deliveries %s were claimed but never finished; sending them again", stale_ids)
            Delivery.objects.filter(pk__in=stale_ids).update(
                status=Delivery.Status.PENDING,
                enqueued_at=None,
                last_error=gettext("The worker stopped while sending; it is sent again."),
            )
        pending = Delivery.objects.select_for_update(skip_locked=True).filter(status=Delivery.Status.PENDING)
        fresh = pending.filter(enqueued_at__isnull=True) | pending.filter(enqueued_at__lt=now - REENQUEUE_AFTER)
        ids = list(fresh.values_list("pk", flat=True))
        Delivery.objects.filter(pk__in=ids).update(enqueued_at=now)
        transaction.on_commit(lambda: [send_delivery.delay(pk) for pk in ids])
    return ids


def _target_for(delivery: Delivery) -> Target | None:
    assert delivery.rule is not None  # a delivery has a rule or a message (database constraint)
    return KINDS[delivery.rule.kind].target_for_key(delivery.rule, delivery.target_key)


@in_language_of(lambda rule, target, participant: participant.user, lambda rule, target, participant: rule.workshop)
def build_rule_message(rule: ReminderRule, target: Target, participant: Participant) -> PortalMail:
    kind = KINDS[rule.kind]
    workshop = rule.workshop
    occurrence = target.occurrence
    zone = timezone_name_for(participant.user, participant)
    context = {
        "rule": rule,
        "participant": participant,
        "user": participant.user,
        "workshop": workshop,
        "target": target,
        "occurrence": occurrence,
        "task": target.task,
        "form": target.form,
        "is_course": target.extra.get("course", False),
        "action_url": kind.action_url(target, participant),
        "profile_url": absolute("/profile/"),
        # Preformatted in the recipient's zone: the worker's template engine would use its own (UTC).
        "due": timefmt.mail_times(target.anchor, workshop, zone) if target.task else None,
        "starts": timefmt.mail_times(occurrence.starts_at, workshop, zone) if occurrence else None,
        "when": timefmt.moment_text(occurrence.starts_at, workshop, zone, end=occurrence.ends_at) if occurrence else "",
        # Target.form is an evaluation form (reminders imports no feature app, so it is typed as an object).
        "closes": timefmt.mail_times(target.form.closes_at, workshop, zone) if target.form else None,  # type: ignore[attr-defined]
    }
    context.update(kind.context(target, participant))
    base = kind.template_base
    subject = " ".join(render_to_string(f"{base}_subject.txt", context).split())
    message = PortalMail(
        subject=subject,
        body=render_to_string(f"{base}.txt", context),
        to=[participant.user.email],
    )
    message.attach_alternative(render_to_string(f"{base}.html", context), "text/html")
    for filename, content, mimetype in kind.attachments(target):
        message.attach(filename, content, mimetype)
    return message


@in_language_of(lambda message, participant: participant.user, lambda message, participant: message.cohort.workshop)
def build_one_off_message(message: OneOffMessage, participant: Participant) -> PortalMail:
    context = {
        "message": message,
        "participant": participant,
        "workshop": message.cohort.workshop,
        "action_url": _task_action_url(message.task),
    }
    mail = PortalMail(
        subject=message.subject,
        body=render_to_string("reminders/email/one_off.txt", context),
        to=[participant.user.email],
    )
    mail.attach_alternative(render_to_string("reminders/email/one_off.html", context), "text/html")
    return mail


def message_id_for(delivery: Delivery) -> str:
    """The same Message-ID every time this delivery is sent, so a copy sent again after a crash is recognisable
    (mail clients and servers fold it into the first). The domain is the portal's own, from SITE_URL."""
    host = urlsplit(settings.SITE_URL).hostname or "workshop-portal.invalid"
    return f"<reminder-delivery-{delivery.pk}@{host}>"


# Backends that only print or drop a message: with DEBUG off a delivery "sent" through them reached nobody.
SILENT_MAIL_BACKENDS = (
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
)


def silent_mail_refusal() -> str:
    """Why deliveries may not go out through the configured mail backend now ("" when they may)."""
    if settings.DEBUG or getattr(settings, "ALLOW_CONSOLE_EMAIL", False):
        return ""
    if settings.EMAIL_BACKEND in SILENT_MAIL_BACKENDS:
        return gettext(
            "Not sent: the mail backend (%(backend)s) only prints or drops messages, so nobody would receive this. "
            "Set EMAIL_URL to a real mail server, or ALLOW_CONSOLE_EMAIL=1 if that is really wanted."
        ) % {"backend": settings.EMAIL_BACKEND.rsplit(".", 2)[-2]}
    return ""


def send_delivery(delivery_id: int) -> str:
    """Send one delivery. Returns what happened; raises TransientMailError to be retried.

    The guarantee is *at least once*, with a stable Message-ID: the delivery is claimed (status
    *sending*, with the time) in a short transaction, the mail is sent outside any transaction
    with EMAIL_TIMEOUT, and the result is recorded in another short transaction. A worker that
    dies between handing the mail to the server and recording it leaves a *sending* claim; the
    dispatcher hands it out again once the claim is older than REMINDER_STALE_CLAIM_SECONDS, and
    that one message may then arrive twice, with the same Message-ID.

    With DEBUG off, a backend that only prints or drops mail is refused: the delivery is marked failed, never sent.
    """
    refusal = silent_mail_refusal()
    if refusal:
        refused = Delivery.objects.filter(pk=delivery_id, status=Delivery.Status.PENDING).update(
            status=Delivery.Status.FAILED, last_error=refusal
        )
        if refused:
            logger.error("Reminder delivery %s refused: %s", delivery_id, refusal)
        return "refused"
    claimed = _claim(delivery_id)
    if isinstance(claimed, str):
        return claimed
    delivery, mail = claimed
    mail.extra_headers["Message-ID"] = message_id_for(delivery)
    try:
        mail.send()
    except TRANSIENT_MAIL_ERRORS as exc:
        error = f"{type(exc).__name__}: {exc}"[:2000]
        Delivery.objects.filter(pk=delivery.pk, status=Delivery.Status.SENDING).update(
            status=Delivery.Status.PENDING, claimed_at=None, last_error=error
        )
        logger.warning("Mail to %s failed (attempt %s): %s", delivery.participant.user.email, delivery.attempts, exc)
        raise TransientMailError(error) from exc
    except Exception as exc:
        # Not a mail fault but a bug or bad data: another try would fail the same way, so say so and stop.
        Delivery.objects.filter(pk=delivery.pk, status=Delivery.Status.SENDING).update(
            status=Delivery.Status.FAILED, last_error=f"{type(exc).__name__}: {exc}"[:2000]
        )
        raise
    # Also from *pending*: the dispatcher may have taken a slow claim for stale; the mail went out all the same.
    Delivery.objects.filter(pk=delivery.pk, status__in=[Delivery.Status.SENDING, Delivery.Status.PENDING]).update(
        status=Delivery.Status.SENT, sent_at=timezone.now(), last_error=""
    )
    return "sent"


def _claim(delivery_id: int) -> str | tuple[Delivery, PortalMail]:
    """Take a pending delivery for sending, in a transaction that holds no network call."""
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related(
                "rule__workshop",
                "message__cohort__workshop",
                "message__task",
                "participant__user",
                "participant__country",
            )
            .filter(pk=delivery_id)
            .first()
        )
        if delivery is None or delivery.status != Delivery.Status.PENDING:
            return "not pending"
        mail, skip_reason = _prepare(delivery)
        if mail is None:
            delivery.status = Delivery.Status.SKIPPED
            delivery.skip_reason = skip_reason
            delivery.save(update_fields=["status", "skip_reason"])
            return "skipped"
        delivery.status = Delivery.Status.SENDING
        delivery.claimed_at = timezone.now()
        delivery.attempts += 1
        delivery.save(update_fields=["status", "claimed_at", "attempts"])
    return delivery, mail


def _prepare(delivery: Delivery):
    participant = delivery.participant
    if not participant.is_active or not participant.user.is_active:
        return None, "participant deactivated"
    if delivery.message is not None:
        if delivery.message.task_id and _done(delivery.message.task, participant.pk):
            return None, "task done before sending"
        return build_one_off_message(delivery.message, participant), ""
    rule = delivery.rule
    assert rule is not None  # a delivery has a rule or a message (database constraint)
    if not rule.is_active:
        return None, "rule switched off"
    if rule.is_optional and participant.pk in _opted_out_ids([participant.pk]):
        return None, "participant opted out"
    target = _target_for(delivery)
    if target is None:
        return None, "what it was about no longer exists"
    if participant.pk in target.exclude or (target.only is not None and participant.pk not in target.only):
        return None, "their due moment was moved"
    if participant.pk in KINDS[rule.kind].completed_ids(target, {participant.pk}):
        return None, "done before sending"
    return build_rule_message(rule, target, participant), ""


# Who has done a task is answered by the kind that reminds about tasks (registered by preparation): reminders
# names no feature app.
TASK_KIND = "task_due"


def _task_target(task) -> Target:
    """A target that only names the task (who has done it, its page): no group, no moment to remind of."""
    return Target(key=f"task:{task.pk}", cohort_id=0, anchor=None, task=task)  # type: ignore[arg-type]


def _task_done_ids(task, participant_ids) -> set[int]:
    return KINDS[TASK_KIND].completed_ids(_task_target(task), participant_ids)


def _task_action_url(task) -> str:
    """The task's page, as the kind that reminds about tasks links it."""
    return KINDS[TASK_KIND].action_url(_task_target(task), None)


def _done(task, participant_id) -> bool:
    return participant_id in _task_done_ids(task, [participant_id])


def mark_failed(delivery_id: int, error: str) -> None:
    Delivery.objects.filter(pk=delivery_id, status=Delivery.Status.PENDING).update(
        status=Delivery.Status.FAILED, last_error=error[:2000]
    )


def send_rule_now(rule: ReminderRule, cohort) -> int:
    """Send a rule at once to one group, for the group's next target (or its latest one once all are past)."""
    now = timezone.now()
    targets = sorted((t for t in KINDS[rule.kind].targets(rule) if t.cohort_id == cohort.pk), key=lambda t: t.anchor)
    if not targets:
        return 0
    target = next((t for t in targets if t.anchor >= now), targets[-1])
    created = _create_deliveries(rule, target, recipients_for(rule, target, joined_by=None), now)
    enqueue_pending(now)
    return created


def create_one_off_message(*, cohort, task, subject: str, body: str, sent_by) -> tuple[OneOffMessage, int]:
    """A facilitator's message to the group's participants who have not done the task."""
    with transaction.atomic():
        message = OneOffMessage.objects.create(cohort=cohort, task=task, subject=subject, body=body, sent_by=sent_by)
        ids = set(
            Participant.objects.filter(cohort=cohort, is_active=True, user__is_active=True).values_list("pk", flat=True)
        )
        ids -= _task_done_ids(task, ids)
        now = timezone.now()
        Delivery.objects.bulk_create(
            [
                Delivery(message=message, participant_id=pid, target_key=f"task:{task.pk}", scheduled_for=now)
                for pid in ids
            ]
        )
        enqueue_pending(now)
    return message, len(ids)


def install_default_rules(workshop) -> int:
    """The reminder rules most workshops want; existing rules with the same timing are left as they are."""
    created = 0
    for kind in KINDS.values():  # each kind says which rules most workshops want
        for name, offset, optional in kind.default_rules:
            _, was_created = ReminderRule.objects.get_or_create(
                workshop=workshop,
                kind=kind.name,
                offset_minutes=offset,
                defaults={"name": str(name), "is_optional": optional},
            )
            created += was_created
    return created
