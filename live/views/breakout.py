from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from common.exports import attachment, csv_text
from sessions_app.models import AgendaItem

from .. import selectors, services
from ..access import facilitated_draw_or_404, facilitated_occurrence_or_404, occurrence_item_or_404
from ..breakout import CountryRule
from ..forms import DrawForm
from ..models import BreakoutDraw


def default_country_rule(item) -> str:
    """What the agenda's team formation suggests: country teams stay together; random teams mix countries."""
    return {
        AgendaItem.TeamFormation.COUNTRY: CountryRule.TOGETHER,
        AgendaItem.TeamFormation.RANDOM: CountryRule.APART,
    }.get(item.team_formation, CountryRule.MIX).value


# WebEx's import format: its own column names, which WebEx reads in every language, so they stay untranslated.
WEBEX_HEADER = ["Email", "Breakout session"]


def _csv_text(draw) -> str:
    # E-mail addresses and room names are typed by people: every cell goes through the spreadsheet guard.
    return csv_text(WEBEX_HEADER, selectors.webex_rows(draw), lineterminator="\n")


@login_required
def breakout(request, pk, item_pk):
    """Draw rooms for an agenda item, redraw until satisfied, publish; earlier published draws stay listed."""
    occurrence = facilitated_occurrence_or_404(request, pk)
    item = occurrence_item_or_404(occurrence, item_pk)
    if request.method == "POST":
        form = DrawForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                draw = services.draw_breakout(
                    occurrence,
                    item,
                    by=request.user,
                    rooms=data["rooms"],
                    room_size=data["room_size"],
                    country_rule=data["country_rule"],
                    avoid_repeat_pairs=data["avoid_repeat_pairs"],
                    seed=data["seed"],
                )
            except services.LiveError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(
                    request,
                    ngettext(
                        "Drawn into %(rooms)s room (seed %(seed)s). Publish when happy.",
                        "Drawn into %(rooms)s rooms (seed %(seed)s). Publish when happy.",
                        draw.room_count,
                    )
                    % {"rooms": draw.room_count, "seed": draw.seed},
                )
                return redirect("live:breakout", pk=occurrence.pk, item_pk=item.pk)
    else:
        form = DrawForm(initial={"rooms": item.breakout_rooms or 3, "country_rule": default_country_rule(item)})
    draft, published = selectors.item_draws(occurrence, item)
    people, attendance_taken = selectors.drawable_participants(occurrence)
    context = {
        "occurrence": occurrence,
        "workshop": occurrence.session.workshop,
        "item": item,
        "item_starts_at": item.starts_at(occurrence),
        "form": form,
        "draft": draft,
        "draft_rooms": selectors.draw_rooms_of(draft) if draft else [],
        "draft_csv": _csv_text(draft) if draft else "",
        "published": [(draw, selectors.draw_rooms_of(draw)) for draw in published[:3]],
        "published_count": len(published),
        "group_has_published_draws": bool(published)
        or BreakoutDraw.objects.filter(occurrence__cohort_id=occurrence.cohort_id, status="published").exists(),
        "drawable": len(people),
        "attendance_taken": attendance_taken,
    }
    return render(request, "live/breakout.html", context, status=400 if request.method == "POST" else 200)


@login_required
@require_POST
def publish_draw(request, pk):
    draw = facilitated_draw_or_404(request, pk)
    try:
        services.publish_draw(draw)
        messages.success(request, _("Rooms published: each participant now sees their room on the session page."))
    except services.LiveError as exc:
        messages.error(request, str(exc))
    return redirect("live:breakout", pk=draw.occurrence_id, item_pk=draw.agenda_item_id)


@login_required
@require_POST
def discard_draw(request, pk):
    draw = facilitated_draw_or_404(request, pk)
    try:
        services.discard_draw(draw)
        messages.success(request, _("Draft draw discarded."))
    except services.LiveError as exc:
        messages.error(request, str(exc))
    return redirect("live:breakout", pk=draw.occurrence_id, item_pk=draw.agenda_item_id)


@login_required
def draw_csv(request, pk):
    """WebEx's breakout pre-assignment import: one row per person, e-mail and room name."""
    draw = facilitated_draw_or_404(request, pk)
    response = HttpResponse(_csv_text(draw), content_type="text/csv; charset=utf-8")
    name = f"breakout-{slugify(draw.occurrence.cohort.name)}-{slugify(draw.agenda_item.title)[:40]}-{draw.pk}.csv"
    attachment(response, name)
    return response
