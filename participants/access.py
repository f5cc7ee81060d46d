"""Who may see which participant's work, group and workshop. Every view and download asks these, per object.

- Organizers (``is_staff``) see and run every workshop.
- A workshop's facilitators see its groups and their participants (work: see ``preparation.access``).
- Refusals are 404s: nobody learns that a group or a workshop they do not run exists.

Who the person is (organizer, facilitator of, participant of) is answered by ``common.access.Viewer``.
"""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _

from common.access import Viewer, viewer_for, viewer_of
from sessions_app.selectors import facilitated_workshops


def is_organizer(user) -> bool:
    return Viewer(user).is_organizer


def is_facilitator_of(user, workshop) -> bool:
    """Organizers and the workshop's facilitators run its sessions and see its participants' work."""
    viewer = Viewer(user)
    if viewer.is_organizer:
        return True
    return viewer.is_authenticated and workshop.facilitators.filter(pk=user.pk).exists()


def is_facilitator(user) -> bool:
    return facilitated_workshops(user).exists()


def facilitated_cohort_or_404(who, cohort_id: int):
    """A group the viewer (request, viewer or user) facilitates, or 404 (never 403: no hint that the group exists)."""
    from sessions_app.models import Cohort

    cohort = Cohort.objects.select_related("workshop").filter(pk=cohort_id).first()
    if cohort is None or not viewer_for(who).facilitates(cohort.workshop_id):
        raise Http404(_("No such group."))
    return cohort


def facilitated_workshop_or_404(who, workshop_id: int):
    """A workshop the viewer (request, viewer or user) facilitates, or 404."""
    from sessions_app.models import Workshop

    workshop = Workshop.objects.filter(pk=workshop_id).first()
    if workshop is None or not viewer_for(who).facilitates(workshop.pk):
        raise Http404(_("No such workshop."))
    return workshop


def participation_or_404(request):
    """The signed-in participant's current participation, or 404 for people who are not enrolled."""
    participation = viewer_of(request).participation
    if participation is None:
        raise Http404(_("You are not enrolled in a workshop group."))
    return participation


def can_edit(viewer: Viewer, obj) -> bool:
    """Participants' records (enrolments, teams, countries) are changed by organizers, in the admin."""
    return viewer.is_organizer
