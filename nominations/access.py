"""Who may nominate for which country, and who runs the calls. Refusals are 404s.

- A call's country page (its nominations, adding and changing them, their CVs) is for that country's active
  nominators in the call, and for organizers (for the countries the call covers); anyone else gets a 404.
- A nomination is reached only through its own call and country.
- An open call's public application form is open to everyone while the call accepts nominations.
- Reviewing, accepting and exporting a call's nominations, and enrolling them, are for organizers only.
"""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _

from common.access import Viewer
from participants.models import Country

from . import selectors
from .models import Call, Nomination


def country_page_or_404(viewer: Viewer, call_id: int, code: str) -> tuple[Call, Country]:
    """The call and country a person may nominate for: its nominators, and organizers. Anyone else: 404."""
    call = selectors.call_with_workshop(call_id)
    country = selectors.country_by_code(code)
    if call is None or country is None or not viewer.is_authenticated:
        raise Http404(_("No such call."))
    if viewer.is_organizer:
        if not selectors.call_has_country(call, country):
            raise Http404(_("No such country in this call."))
        return call, country
    if not selectors.nominates_for(viewer.user, call, country):
        raise Http404(_("No such call."))
    return call, country


def own_nomination_or_404(viewer: Viewer, call_id: int, code: str, pk: int) -> tuple[Call, Country, Nomination]:
    call, country = country_page_or_404(viewer, call_id, code)
    nomination = selectors.nomination_of(call, country, pk)
    if nomination is None:
        raise Http404(_("No such nomination."))
    return call, country, nomination


def organizer_call_or_404(viewer: Viewer, workshop_id: int) -> Call:
    if not viewer.is_organizer:
        raise Http404(_("No such page."))
    call = selectors.call_of_workshop(workshop_id)
    if call is None:
        raise Http404(_("This workshop has no call for nominations."))
    return call


def can_edit(viewer: Viewer, obj) -> bool:
    """Calls are run by organizers; a nomination is changed by organizers and its country's nominators."""
    if isinstance(obj, Nomination):
        return viewer.is_organizer or (
            viewer.is_authenticated and selectors.nominates_for(viewer.user, obj.call, obj.country)
        )
    return viewer.is_organizer
