from django import template

from .. import selectors

register = template.Library()


@register.inclusion_tag("preparation/partials/session_preparation.html", takes_context=True)
def my_session_preparation(context, occurrence):
    """The signed-in participant's status for each task of one session, on the session page."""
    participation = context.get("participation")
    rows = []
    if participation is not None and participation.cohort_id == occurrence.cohort_id:
        # The session page has computed the due moments already; its tasks close with this very occurrence.
        known_due = {row.task.pk: row.due_at for row in context.get("tasks") or []}
        rows = selectors.participant_task_rows(
            participation, occurrence.session.tasks.all(), {occurrence.session.number: occurrence}, known_due
        )
    return {"rows": rows, "occurrence": occurrence, "workshop": context.get("workshop")}
