"""Reminders about the DTCA's due moment (registered in AssessmentsConfig.ready)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from preparation.reminder_kinds import TaskKind
from reminders.kinds import absolute

from . import selectors


class DtcaDue(TaskKind):
    name = "dtca_due"
    label = _("DTCA due (to those who have not submitted)")
    assessment = True
    default_rules = ((_("DTCA due in 7 days"), -7 * 1440, True), (_("DTCA due tomorrow"), -1 * 1440, True))

    def completed_ids(self, target, participant_ids):
        return selectors.participant_ids_submitted(target.task.session.workshop, participant_ids)

    def action_url(self, target, participant):
        return absolute(reverse("dtca:home"))


DTCA_DUE = DtcaDue()


def kinds():
    return [DTCA_DUE]
