"""What evaluations put on the participant's home: the forms open now, answered or not."""

from __future__ import annotations

from django.utils.translation import gettext as _

from common.registry import HomeItem, urgency_for
from common.translations import translated

from .models import EvaluationForm
from .selectors import participant_evaluations


def home_items_for(viewer) -> list[HomeItem]:
    now = viewer.now
    items = []
    for row in participant_evaluations(viewer.participation):
        if row.form.status(now) != EvaluationForm.Status.OPEN:
            continue
        form = row.form
        items.append(
            HomeItem(
                kind="evaluation",
                kind_label=_("Evaluation"),
                title=translated(form, "title"),
                url=form.get_absolute_url(),
                status="answered" if row.answered else "open",
                status_label=_("Answered") if row.answered else _("Open"),
                urgency=urgency_for(form.closes_at, now, done=row.answered),
                due_at=form.closes_at,
                due_label=_("Closes"),
                detail=_("You can change your answers until it closes.")
                if row.answered
                else _("A few minutes; your answers help the facilitators."),
                action_label=_("Change your answers") if row.answered else _("Answer"),
            )
        )
    return items
