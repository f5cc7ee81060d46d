"""Who may do what. Every view and download asks these on the server, per object."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404


def is_organizer(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_staff)


def facilitated_workshops(user) -> QuerySet:
    from sessions_app.models import Workshop

    if not getattr(user, "is_authenticated", False):
        return Workshop.objects.none()
    if user.is_staff:
        return Workshop.objects.all()
    return Workshop.objects.filter(facilitators=user)


def is_facilitator_of(user, workshop) -> bool:
    """Organizers and the workshop's facilitators run its sessions and see its participants' work."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_staff:
        return True
    return workshop.facilitators.filter(pk=user.pk).exists()


def is_facilitator(user) -> bool:
    return facilitated_workshops(user).exists()


def facilitated_cohort_or_404(user, cohort_id: int):
    """A group the user facilitates, or 404 (never 403: no hint that the group exists)."""
    from sessions_app.models import Cohort

    cohort = Cohort.objects.select_related("workshop").filter(pk=cohort_id).first()
    if cohort is None or not is_facilitator_of(user, cohort.workshop):
        raise Http404("No such group.")
    return cohort


def facilitated_workshop_or_404(user, workshop_id: int):
    from sessions_app.models import Workshop

    workshop = Workshop.objects.filter(pk=workshop_id).first()
    if workshop is None or not is_facilitator_of(user, workshop):
        raise Http404("No such workshop.")
    return workshop


def participation_or_404(request):
    """The signed-in participant's current participation, or 404 for people who are not enrolled."""
    if request.participation is None:
        raise Http404("You are not enrolled in a workshop group.")
    return request.participation


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
    from .models import Participant

    mine = Participant.objects.filter(user=user, is_active=True, cohort_id=work.cohort_id)
    if work.participant_id:
        return mine.filter(pk=work.participant_id).exists()
    if work.team_id:
        return mine.filter(team_memberships__team_id=work.team_id).exists()
    return mine.filter(country_id=work.country_id).exists()


def can_download_task_files(user, task) -> bool:
    """The zip of every file of a task is for the workshop's facilitators; private tasks have no files to share."""
    return not task.is_private and is_facilitator_of(user, task.session.workshop)
