"""The reminder to country nominators who have nominated nobody, N days before the deadline.

Registered in NominationsConfig.ready (``common.registry.reminder_kinds``). It is a kind of the existing
reminder rules (an organizer adds a rule “Nominations due” with a negative offset,
e.g. −10080 minutes = 7 days before the deadline). Its recipients are nominators, not participants, so the kind
dispatches itself: one NominatorReminder row per rule and nominator, then one mail.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.i18n import override_for
from reminders.kinds import Kind

from .models import Call, Nomination, NominatorReminder


class NominationDue(Kind):
    name = "nomination_due"  # stored in ReminderRule.kind: never rename
    label = gettext_lazy("Nominations due (to country nominators who nominated nobody)")
    anchor_text = gettext_lazy("the nomination deadline")

    def targets(self, rule):
        return []  # no participant targets: see dispatch()

    def workshops_with_anchor_between(self, earliest, latest):
        # The anchor is the call's deadline; the dispatcher reads only the rules of workshops whose call ends then.
        return [Call.objects.filter(deadline__range=(earliest, latest)).values("workshop_id")]

    def dispatch(self, rule, now) -> int:

        call = Call.objects.filter(workshop=rule.workshop).select_related("workshop").first()
        if call is None or not call.accepts_nominations(now):
            return 0
        send_at = call.deadline + timedelta(minutes=rule.offset_minutes)
        if send_at > now or now - send_at > timedelta(minutes=rule.grace_minutes):
            return 0
        countries_done = set(
            Nomination.objects.filter(call=call)
            .exclude(status__in=[Nomination.Status.UNCONFIRMED, Nomination.Status.WITHDRAWN])
            .values_list("country_id", flat=True)
        )
        already = set(NominatorReminder.objects.filter(rule=rule).values_list("nominator_id", flat=True))
        created = 0
        for nominator in call.nominators.filter(user__is_active=True).select_related("user", "country"):
            if nominator.country_id in countries_done or nominator.pk in already:
                continue
            if rule.is_optional and not nominator.user.email_notifications:
                continue
            try:
                with transaction.atomic():
                    NominatorReminder.objects.create(rule=rule, nominator=nominator)
            except IntegrityError:  # a concurrent dispatcher sent it
                continue
            # The worker's language is the site's: the nominator's own (else the workshop's) is set here.
            with override_for(nominator.user, workshop=call.workshop):
                self._send(rule, call, nominator)
            created += 1
        return created

    def _send(self, rule, call, nominator) -> None:
        from . import services

        services._send_later(
            _("Reminder: nominate participants for %(workshop)s") % {"workshop": call.workshop.title},
            "nominations/email/nominator_reminder.txt",
            {
                "rule": rule,
                "nominator": nominator,
                "call": call,
                "workshop": call.workshop,
                "deadline": services.deadline_text(call, nominator.user.timezone or nominator.country.timezone),
                "page_url": services._absolute(reverse("nominations:country", args=[call.pk, nominator.country.code])),
            },
            [nominator.user.email],
        )


def kinds():
    return [NominationDue()]
