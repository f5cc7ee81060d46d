"""Functions that read reminders."""

from __future__ import annotations

from django.db.models import OuterRef

from .kinds import KINDS
from .models import Delivery


def rules_with_counts(queryset):
    """The rules with their number of sent mails, counted for these rules only (not grouped over every delivery)."""
    from sessions_app.admin_lists import SubqueryCount

    sent = Delivery.objects.filter(rule=OuterRef("pk"), status=Delivery.Status.SENT).order_by().values("pk")
    return queryset.annotate(sent_count=SubqueryCount(sent))


def preview(rule, participant) -> dict | None:
    """The message the rule would send the participant for their group's next (or latest) target."""
    from django.utils import timezone

    from .services import build_rule_message

    targets = sorted(
        (t for t in KINDS[rule.kind].targets(rule) if t.cohort_id == participant.cohort_id), key=lambda t: t.anchor
    )
    if not targets:
        return None
    now = timezone.now()
    target = next((t for t in targets if t.anchor >= now), targets[-1])
    mail = build_rule_message(rule, target, participant)
    return {
        "subject": mail.subject,
        "to": ", ".join(mail.to),
        "text": mail.body,
        "html": mail.alternatives[0][0] if mail.alternatives else "",
        "attachments": [name for name, _, _ in mail.attachments],
        "send_at": target.anchor + rule.offset,
    }
