from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import selectors, services
from ..access import debate_for, facilitated_occurrence_or_404, occurrence_item_or_404
from ..forms import DebateSidesForm, StartForm, StatementForm
from ..models import Debate


@login_required
def debate_start(request, pk, item_pk):
    occurrence = facilitated_occurrence_or_404(request, pk)
    item = occurrence_item_or_404(occurrence, item_pk)
    existing = Debate.objects.filter(occurrence=occurrence, agenda_item=item).first()
    if existing:
        return redirect(existing)
    form = StartForm(request.POST or None, label=_("Motion"), initial={"text": item.description or item.title})
    if request.method == "POST" and form.is_valid():
        debate = services.start_debate(occurrence, item, motion=form.cleaned_data["text"])
        messages.success(request, _("Debate set up. Assign sides at random or one by one."))
        return redirect(debate)
    context = {"occurrence": occurrence, "workshop": occurrence.session.workshop, "item": item, "form": form}
    return render(request, "live/start.html", {**context, "what": "debate"})


@login_required
def debate(request, pk):
    """Both sides' lists for everyone in the group; participants write a closing statement."""
    debate, role = debate_for(request, pk)
    sides = selectors.debate_sides(debate)
    mine = sides["by_participant"].get(role.participant.pk) if role.participant else None
    statement_form = StatementForm(request.POST or None, initial={"text": mine.closing_statement if mine else ""})
    if request.method == "POST":
        if not role.can_take_part:
            raise Http404(_("Only participants of the group write statements."))
        if statement_form.is_valid():
            try:
                services.save_closing_statement(debate, role.participant, statement_form.cleaned_data["text"])
            except services.LiveError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, _("Closing statement saved."))
                return redirect(debate)
    sides_form = None
    if role.is_facilitator:
        participants = list(selectors.group_participants(debate.occurrence.cohort_id))
        sides_form = DebateSidesForm(
            participants=participants,
            initial_values={pid: side.side for pid, side in sides["by_participant"].items()},
        )
    context = {
        "debate": debate,
        "occurrence": debate.occurrence,
        "workshop": debate.occurrence.session.workshop,
        "role": role,
        "sides": sides,
        "mine": mine,
        "statement_form": statement_form,
        "sides_form": sides_form,
    }
    return render(request, "live/debate.html", context, status=400 if request.method == "POST" else 200)


def _facilitated_debate(request, pk):
    debate, role = debate_for(request, pk)
    if not role.is_facilitator:
        raise Http404(_("Only the facilitator does this."))
    return debate


@login_required
@require_POST
def debate_draw(request, pk):
    debate = _facilitated_debate(request, pk)
    try:
        for_count, against_count = services.draw_debate_sides(debate)
        messages.success(
            request, _("Sides drawn: %(for)s for, %(against)s against.") % {"for": for_count, "against": against_count}
        )
    except services.LiveError as exc:
        messages.error(request, str(exc))
    return redirect(debate)


@login_required
@require_POST
def debate_sides(request, pk):
    debate = _facilitated_debate(request, pk)
    participants = list(selectors.group_participants(debate.occurrence.cohort_id))
    form = DebateSidesForm(request.POST, participants=participants, initial_values={})
    if not form.is_valid():
        messages.error(request, _("Some sides were not understood; nothing was saved."))
        return redirect(debate)
    try:
        notes = services.set_debate_sides(debate, form.values())
    except services.LiveError as exc:
        messages.error(request, str(exc))
        return redirect(debate)
    messages.success(request, _("Sides saved."))
    for note in notes:
        messages.warning(request, note)
    return redirect(debate)


@login_required
@require_POST
def debate_statements(request, pk):
    debate = _facilitated_debate(request, pk)
    is_open = request.POST.get("open") == "1"
    services.set_statements_open(debate, is_open)
    messages.success(request, _("Closing statements open.") if is_open else _("Closing statements closed."))
    return redirect(debate)
