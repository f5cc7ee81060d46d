from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from common.fragments import cached_page

from ..access import facilitated_occurrence_or_404, role_for
from ..selectors import runsheet as selectors
from ..selectors import session_panel as panel_selectors


def _runsheet_context(request, pk):
    occurrence = selectors.with_agenda(facilitated_occurrence_or_404(request, pk))
    return {"occurrence": occurrence, "workshop": occurrence.session.workshop, **selectors.runsheet(occurrence)}


@login_required
@cached_page
def runsheet(request, pk):
    """The facilitator's follow-the-clock page for one occurrence; its panel refreshes itself."""
    return render(request, "live/runsheet.html", _runsheet_context(request, pk))


@login_required
def runsheet_panel(request, pk):
    context = _runsheet_context(request, pk)
    if not request.htmx:  # the panel opened on its own: show it within its page (title, language, navigation)
        return redirect("live:runsheet", pk=pk)
    return render(request, "live/partials/runsheet_panel.html", context)


@login_required
def session_panel(request, pk):
    """The live part of a participant's session page, fetched again by htmx while the session runs."""
    from sessions_app.models import SessionOccurrence

    occurrence = SessionOccurrence.objects.select_related("session__workshop", "cohort").filter(pk=pk).first()
    if occurrence is None:
        raise Http404(_("No such session."))
    role = role_for(request, occurrence)
    if not request.htmx:  # opened on its own: the session page holds the panel
        return redirect(occurrence.get_absolute_url())
    context = {
        "occurrence": occurrence,
        "role": role,
        "refresh": panel_selectors.panel_is_live(occurrence),
        **panel_selectors.session_panel(occurrence, role.participant),
    }
    return render(request, "live/partials/session_panel.html", context)
