"""Who may see which preparation task and which piece of work. Every page and download asks these, per object.

- A participant reaches the tasks of their own group's workshop programme only (others: "not your task", 404).
- Work (a submission, its versions and files) is seen by its owner, their teammates (or country team) and the
  workshop's facilitators and organizers.
- Private reflection notes are seen by their author alone: not teammates, facilitators or organizers.
- The zip of every file of a task, the progress board and its CSV are for the workshop's facilitators and organizers;
  private tasks have no files to share.
- Work is changed only by its owner (or their team), while the task is open (``services`` checks the moment).
"""

from __future__ import annotations

from common.access import Viewer
from participants.access import is_facilitator_of

from . import selectors


def participant_task(participant, pk: int):
    """The task with its resources if it belongs to the participant's group's programme; None otherwise."""
    task = selectors.task_with_resources(pk)
    if task is None or task.session.workshop_id != participant.cohort.workshop_id:
        return None
    return task


def can_view_submission(user, submission) -> bool:
    """Work is seen by its owner, their teammates and the workshop's facilitators.

    Private reflection notes are seen by their author alone: not teammates, facilitators or organizers.
    """
    if not getattr(user, "is_authenticated", False):
        return False
    if submission.task.is_private:
        return submission.participant_id is not None and submission.participant.user_id == user.pk
    if is_facilitator_of(user, submission.cohort.workshop):
        return True
    return is_owner_of(user, submission)


def is_owner_of(user, work) -> bool:
    """The person is (or belongs to the team that is) the owner of a submission, as an active participant."""
    from participants.models import Participant

    mine = Participant.objects.filter(user=user, is_active=True, cohort_id=work.cohort_id)
    if work.participant_id:
        return mine.filter(pk=work.participant_id).exists()
    if work.team_id:
        return mine.filter(team_memberships__team_id=work.team_id).exists()
    return mine.filter(country_id=work.country_id).exists()


def can_download_task_files(user, task) -> bool:
    """The zip of every file of a task is for the workshop's facilitators; private tasks have no files to share."""
    return not task.is_private and is_facilitator_of(user, task.session.workshop)


def can_edit(viewer: Viewer, obj) -> bool:
    """A submission (or extension) is changed by its owner or their team, as an active participant of the group."""
    if getattr(obj, "task", None) is not None and obj.task.is_private:
        return obj.participant_id is not None and obj.participant.user_id == viewer.user.pk
    return viewer.is_participant_of(obj.cohort_id) and is_owner_of(viewer.user, obj)
