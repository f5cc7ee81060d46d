"""Who may answer, preview and read which evaluation. Refusals are 404s.

- A group's evaluation forms are answered by the group's active participants only (each their own answers, which
  are anonymous in every report); the list of evaluations is for enrolled participants.
- The workshop's facilitators and organizers see a form as a read-only preview, open it early, and read its reports
  and exports (per form and per workshop); they never see who gave which answer.
- Evaluation templates are changed by organizers, in the admin.
"""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _

from common.access import Viewer

from . import reports
from .models import EvaluationForm, EvaluationTemplate


def answers_or_previews(viewer: Viewer, form: EvaluationForm | None) -> str:
    """ "answer" for a participant of the form's group, "preview" for its workshop's facilitators; 404 otherwise."""
    if form is not None:
        if viewer.is_participant_of(form.cohort_id):
            return "answer"
        if viewer.facilitates(form.cohort.workshop_id):
            return "preview"
    raise Http404(_("No such evaluation."))


def facilitated_form_or_404(viewer: Viewer, pk: int) -> EvaluationForm:
    """A form (with what its report needs) of a workshop the viewer facilitates, or 404."""
    form = reports.form_for_report(pk)
    if form is None or not viewer.facilitates(form.cohort.workshop_id):
        raise Http404(_("No such evaluation."))
    return form


def can_edit(viewer: Viewer, obj) -> bool:
    """Templates: organizers. A form's settings (opening it): the workshop's facilitators. Answers: nobody here
    (a participant changes their own answers through the signed edit link, checked in the view)."""
    if isinstance(obj, EvaluationTemplate):
        return viewer.is_organizer
    if isinstance(obj, EvaluationForm):
        return viewer.facilitates(obj.cohort.workshop_id)
    return False
