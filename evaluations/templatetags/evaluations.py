from django import template

from participants.access import is_facilitator_of

from .. import selectors

register = template.Library()


@register.inclusion_tag("evaluations/partials/session_evaluation.html", takes_context=True)
def session_evaluation(context, occurrence):
    """The evaluation box of a session page: answer it (participants) or read its report (facilitators).

    The group's last session also shows the course evaluation, which its closing remarks announce.
    """
    request = context["request"]
    participation = getattr(request, "participation", None)
    workshop = occurrence.session.workshop
    if participation is not None and participation.cohort_id == occurrence.cohort_id:
        role = "participant"
    elif is_facilitator_of(request.user, workshop):
        role, participation = "facilitator", None
    else:
        return {"entries": []}
    forms = selectors.session_page_forms(occurrence, participation)
    entries = [{"form": form, "answered": form.answered} for form in forms]
    return {"entries": entries, "role": role, "workshop": workshop, "csrf_token": context.get("csrf_token")}
