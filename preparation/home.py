"""What preparation puts on the participant's home: their open tasks with status and due moment."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils.translation import gettext as _

from common.registry import HomeItem, urgency_for
from sessions_app.models import PreparationTask
from sessions_app.selectors import viewer_occurrences

from .selectors import participant_preparation

# Tasks not yet done are listed when due within this window (or for the next session, whatever its date).
HORIZON = timedelta(days=21)

STATUS_TEXT = {
    "todo": lambda: _("To do"),
    "overdue": lambda: _("Overdue"),
    "done": lambda: _("Done"),
    "late": lambda: _("Handed in late"),
    "by_teammate": lambda: _("Submitted by a teammate"),
    "no_team": lambda: _("No team yet"),
}


def home_items_for(viewer) -> list[HomeItem]:
    """The viewer's preparation: every open task of the next session (done ones too, with their status), and
    any other task still open that is overdue or due soon. The DTCA task is left to the assessment's own item."""
    now = viewer.now
    blocks = participant_preparation(viewer.participation, viewer_occurrences(viewer))
    upcoming = next((block for block in blocks if block.occurrence.ends_at > now), None)
    items = []
    for block in blocks:
        occurrence = block.occurrence
        is_next = block is upcoming
        for row in block.rows:
            task = row.task
            if task.kind == PreparationTask.Kind.ASSESSMENT:
                continue
            if row.closes_at is not None and now > row.closes_at:
                continue  # nothing more is accepted
            if row.is_done and not is_next:
                continue
            if not row.is_done and not is_next:
                soon = row.due_at is not None and row.due_at <= now + HORIZON
                if not soon or task.is_private:
                    continue
            detail = _("Preparation for session %(number)s: %(title)s") % {
                "number": occurrence.session.number,
                "title": occurrence.session.title,
            }
            if row.team is not None or task.performed_by != PreparationTask.PerformedBy.INDIVIDUAL:
                detail += " · " + _("for %(owner)s") % {"owner": row.owner_label}
            if task.is_optional:
                detail += " · " + _("optional")
            urgency = urgency_for(row.due_at, now, done=row.is_done)
            items.append(
                HomeItem(
                    kind="preparation",
                    kind_label=_("Preparation"),
                    title=task.title,
                    url=reverse("preparation:task", args=[task.pk]),
                    status=row.status,
                    status_label=STATUS_TEXT[row.status](),
                    urgency=urgency,
                    due_at=row.due_at,
                    detail=detail,
                    action_label=_("See your work") if row.is_done else _("Prepare"),
                )
            )
    return items
