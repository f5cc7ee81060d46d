from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _

from common.access import not_enrolled, viewer_of
from common.exports import attachment
from common.fragments import cached_page
from common.registry import collect_home_items

from . import selectors
from .access import occurrence_for
from .calendar import occurrences_calendar, workshop_calendar_name


@cached_page
def home(request):
    """A participant's home: their group's next session and, most urgent first, everything they have to do or can
    do now, gathered from every app through the ``home_items`` registry. Facilitators and organizers who are not
    enrolled land on Facilitate."""
    participation = request.participation
    if participation is None:
        if viewer_of(request).runs_workshops:
            return redirect("sessions:facilitate")
        return render(request, "sessions_app/home_public.html", {"workshops": selectors.public_workshops()[:20]})
    viewer = request.viewer
    overview = selectors.cohort_overview(selectors.viewer_occurrences(viewer), viewer.now)
    return render(
        request,
        "sessions_app/home.html",
        {
            "overview": overview,
            "focus": overview.current or overview.next,
            "items": collect_home_items(viewer),
            "workshop": participation.cohort.workshop,
        },
    )


@login_required
@cached_page
def facilitate(request):
    """The facilitator's start page: every group they run, with its sessions and tools."""
    workshops = selectors.facilitator_overview(request.user)
    if not workshops and not viewer_of(request).is_organizer:
        raise Http404(_("You do not facilitate a workshop."))
    return render(request, "sessions_app/facilitate.html", {"workshops": workshops})


def programme(request, slug):
    workshop = selectors.workshop_programme(slug)
    if workshop is None:
        raise Http404("No such workshop.")
    sessions = [
        {"session": session, "agenda_start": selectors.session_start_clock(session)}
        for session in workshop.sessions.all()
    ]
    return render(request, "sessions_app/programme.html", {"workshop": workshop, "sessions": sessions})


@login_required
@cached_page
def schedule(request):
    participation = request.participation
    if participation is None:
        if viewer_of(request).runs_workshops:
            # Facilitators and organizers: the sessions of the groups they run, in time order.
            return render(
                request,
                "sessions_app/facilitator_schedule.html",
                {
                    "occurrences": selectors.facilitator_schedule(request.user),
                    "is_organizer": viewer_of(request).is_organizer,
                },
            )
        return not_enrolled(request)
    occurrences = selectors.cohort_occurrences(participation.cohort)
    rows = [
        {
            "occurrence": occurrence,
            "tasks": selectors.tasks_with_due_dates(occurrence.session.tasks.all(), occurrences),
        }
        for occurrence in occurrences
    ]
    overview = selectors.cohort_overview(occurrences)
    return render(
        request,
        "sessions_app/schedule.html",
        {"rows": rows, "overview": overview, "workshop": participation.cohort.workshop},
    )


@login_required
@cached_page
def session_detail(request, pk):
    # Only the group's dates are needed here, for due moments; the session's own tasks are loaded with it.
    participation = request.participation
    occurrence = None
    if participation is not None:
        # A session of the participant's own group: found among the group's occurrences, no separate lookup.
        group_occurrences = selectors.cohort_occurrences(participation.cohort, with_tasks=False)
        occurrence = next((o for o in group_occurrences if o.pk == pk), None)
        if occurrence is not None:
            selectors.load_programme(occurrence)
    if occurrence is None:
        occurrence = occurrence_for(request, pk)
        group_occurrences = selectors.cohort_occurrences(occurrence.cohort, with_tasks=False)
    tasks = selectors.tasks_with_due_dates(occurrence.session.tasks.all(), group_occurrences)
    return render(
        request,
        "sessions_app/session_detail.html",
        {
            "occurrence": occurrence,
            "session": occurrence.session,
            "workshop": occurrence.session.workshop,
            "tasks": tasks,
        },
    )


@login_required
def session_ics(request, pk):
    occurrence = occurrence_for(request, pk)
    body = occurrences_calendar([occurrence], workshop_calendar_name(occurrence.session.workshop))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    filename = f"session-{occurrence.session.number}-{slugify(occurrence.cohort.name)}.ics"
    attachment(response, filename)
    return response
