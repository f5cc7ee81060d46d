from django import template

from participants.permissions import is_facilitator_of

from .. import selectors

register = template.Library()


@register.inclusion_tag("evaluations/partials/session_evaluation.html", takes_context=True)
def session_evaluation(context, occurrence):
    """The evaluation box of a session page: answer it (participants) or read its report (facilitators)."""
    request = context["request"]
    participation = getattr(request, "participation", None)
    workshop = occurrence.session.workshop
    if participation is not None and participation.cohort_id == occurrence.cohort_id:
        form, answered = selectors.occurrence_evaluation(occurrence, participation)
        return {"form": form, "answered": answered, "role": "participant", "workshop": workshop, "request": request}
    if is_facilitator_of(request.user, workshop):
        return {"form": selectors.form_for_occurrence(occurrence), "role": "facilitator", "workshop": workshop}
    return {"form": None, "role": None}
