from django import template

from sessions_app.models import SessionOccurrence
from sessions_app.selectors import occurrences_by_number

from .. import selectors

register = template.Library()


@register.inclusion_tag("preparation/partials/session_preparation.html", takes_context=True)
def my_session_preparation(context, occurrence):
    """The signed-in participant's status for each task of one session, on the session page."""
    participation = context.get("participation")
    rows = []
    if participation is not None and participation.cohort_id == occurrence.cohort_id:
        occurrences = SessionOccurrence.objects.filter(cohort_id=participation.cohort_id).select_related("session")
        rows = selectors.participant_task_rows(
            participation, occurrence.session.tasks.all(), occurrences_by_number(occurrences)
        )
    return {"rows": rows, "occurrence": occurrence, "workshop": context.get("workshop")}
