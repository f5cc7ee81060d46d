"""Who may answer and read which assessment (DTCA). Refusals are 404s: nobody learns about other countries' work.

- The questionnaire, its review, the country assessment and the results are for enrolled participants of a group
  whose workshop has the assessment set up (``@enrolled_required``; not set up: a page that says so).
- A participant reads their own answers, and their country teammates' once the whole team has submitted.
- The workshop's facilitators and organizers read every answer of its groups, the group overviews and the exports.
- Answers are changed by their author only, until they submit; the country assessment by the country team.
"""

from __future__ import annotations

from common.access import Viewer

from . import selectors
from .models import IndividualAssessment


def may_read_individual(viewer: Viewer, assessment: IndividualAssessment) -> bool:
    """Facilitators read every answer; a participant reads their own, and their teammates' once all submitted."""
    if viewer.facilitates(assessment.run.workshop_id):
        return True
    participation = viewer.participation
    if participation is None:
        return False
    owner = assessment.participant
    if owner.pk == participation.pk:
        return True
    if (owner.cohort_id, owner.country_id) != (participation.cohort_id, participation.country_id):
        return False
    if not assessment.is_submitted or not owner.is_active:
        return False
    return selectors.team(assessment.run, participation.cohort, participation.country).all_submitted


def can_edit(viewer: Viewer, obj) -> bool:
    """An individual assessment: its author, until submitted. A country assessment: its country team."""
    if isinstance(obj, IndividualAssessment):
        participation = viewer.participation
        return participation is not None and obj.participant_id == participation.pk and not obj.is_submitted
    cohort_id, country_id = getattr(obj, "cohort_id", None), getattr(obj, "country_id", None)
    participation = viewer.participation
    return (
        cohort_id is not None
        and participation is not None
        and (participation.cohort_id, participation.country_id) == (cohort_id, country_id)
    )
