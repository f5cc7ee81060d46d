"""Who sees which workshop report (the only place these rules are written).

- A workshop's report pages, its generated files and their downloads are for the workshop's facilitators and
  organizers (organizers facilitate every workshop); participants never see them.
- A group of another workshop, or a file of a workshop someone does not run, is a 404: nobody learns it exists.
- Reports are made (generated) by those same facilitators and organizers; nobody edits a generated file.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from common.access import Viewer, viewer_for
from participants.access import facilitated_workshop_or_404
from sessions_app.models import Cohort, Workshop

from .models import GeneratedReport


def report_scope_or_404(who: Any, workshop_pk: int, cohort_pk: int | None) -> tuple[Workshop, Cohort | None]:
    """The workshop (and group of it) whose report the viewer may read; 404 for anyone who does not run it."""
    workshop = facilitated_workshop_or_404(who, workshop_pk)
    cohort = None
    if cohort_pk is not None:
        cohort = Cohort.objects.filter(pk=cohort_pk, workshop=workshop).first()
        if cohort is None:
            raise Http404(_("No such group."))
    return workshop, cohort


def generated_report_or_404(who: Any, pk: int) -> GeneratedReport:
    """A generated report file, for the facilitators and organizers of its workshop only."""
    report = get_object_or_404(GeneratedReport.objects.select_related("workshop", "cohort"), pk=pk)
    if not viewer_for(who).facilitates(report.workshop_id):
        raise Http404(_("No such report."))
    return report


def can_edit(viewer: Viewer, obj) -> bool:
    """A workshop's reports are made by its facilitators and organizers."""
    workshop_id = getattr(obj, "workshop_id", None)
    return workshop_id is not None and viewer.facilitates(workshop_id)
