from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.exports import csv_response

from .. import selectors, services
from ..access import as_id, board_for, facilitated_occurrence_or_404, occurrence_item_or_404, role_for
from ..forms import HeadingForm, IdeaForm, StartForm
from ..models import Board, BoardHeading, Idea


@login_required
def board_start(request, pk, item_pk):
    """Open the board of a brainstorming item, with its prompt taken from the agenda."""
    occurrence = facilitated_occurrence_or_404(request, pk)
    item = occurrence_item_or_404(occurrence, item_pk)
    existing = Board.objects.filter(occurrence=occurrence, agenda_item=item).first()
    if existing:
        return redirect(existing)
    form = StartForm(request.POST or None, label=_("Prompt"), initial={"text": item.description or item.title})
    if request.method == "POST" and form.is_valid():
        board = services.start_board(occurrence, item, prompt=form.cleaned_data["text"])
        messages.success(request, _("The board is open: participants find it on their session page."))
        return redirect(board)
    context = {"occurrence": occurrence, "workshop": occurrence.session.workshop, "item": item, "form": form}
    return render(request, "live/start.html", {**context, "what": "board"})


def _board_context(board, role):
    return {
        "board": board,
        "occurrence": board.occurrence,
        "workshop": board.occurrence.session.workshop,
        "role": role,
        **selectors.board_content(board, role.participant),
    }


@login_required
def board(request, pk):
    """Participants post and vote; the facilitator groups ideas under headings. Readable once closed."""
    board, role = board_for(request, pk)
    form = IdeaForm(request.POST or None)
    if request.method == "POST":
        if not role.can_take_part:
            raise Http404(_("Only participants of the group post ideas."))
        if form.is_valid():
            try:
                services.post_idea(board, role.participant, form.cleaned_data["text"])
            except services.LiveError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, _("Idea posted."))
                return redirect(board)
    context = {**_board_context(board, role), "form": form, "heading_form": HeadingForm()}
    return render(request, "live/board.html", context, status=400 if request.method == "POST" else 200)


@login_required
def board_ideas(request, pk):
    board, role = board_for(request, pk)
    if not request.htmx:  # opened on its own: the board page holds the list
        return redirect(board)
    return render(request, "live/partials/board_ideas.html", _board_context(board, role))


def _idea_for(request, pk) -> tuple[Idea, object]:
    idea = (
        Idea.objects.select_related("board__occurrence__session__workshop", "board__occurrence__cohort")
        .filter(pk=pk)
        .first()
    )
    if idea is None:
        raise Http404(_("No such idea."))
    return idea, role_for(request, idea.board.occurrence)


def _back(request, board, role):
    """htmx swaps in the refreshed idea list; a plain form post returns to the board."""
    if request.htmx:
        return render(request, "live/partials/board_ideas.html", _board_context(board, role))
    return redirect(board)


@login_required
@require_POST
def idea_vote(request, pk):
    idea, role = _idea_for(request, pk)
    if not role.can_take_part:
        raise Http404(_("Only participants of the group vote."))
    try:
        services.toggle_idea_vote(idea, role.participant)
    except services.LiveError as exc:
        messages.error(request, str(exc))
    return _back(request, idea.board, role)


@login_required
@require_POST
def idea_remove(request, pk):
    idea, role = _idea_for(request, pk)
    try:
        services.remove_idea(idea, participant=role.participant, as_facilitator=role.is_facilitator)
    except services.LiveError as exc:
        messages.error(request, str(exc))
    return _back(request, idea.board, role)


@login_required
@require_POST
def idea_file(request, pk):
    idea, role = _idea_for(request, pk)
    if not role.is_facilitator:
        raise Http404(_("Only the facilitator groups ideas."))
    heading_pk = as_id(request.POST.get("heading"))
    heading = BoardHeading.objects.filter(pk=heading_pk, board_id=idea.board_id).first() if heading_pk else None
    if request.POST.get("heading") and heading is None:
        messages.error(request, _("That heading no longer exists."))
    else:
        services.file_idea(idea, heading)
    return _back(request, idea.board, role)


@login_required
@require_POST
def heading_add(request, pk):
    board, role = board_for(request, pk)
    if not role.is_facilitator:
        raise Http404(_("Only the facilitator adds headings."))
    form = HeadingForm(request.POST)
    try:
        if not form.is_valid():
            raise services.LiveError(_("Give the heading a title of up to 120 characters."))
        services.add_heading(board, form.cleaned_data["title"])
    except services.LiveError as exc:
        messages.error(request, str(exc))
    return redirect(board)


@login_required
@require_POST
def heading_delete(request, pk):
    heading = BoardHeading.objects.select_related("board").filter(pk=pk).first()
    if heading is None:
        raise Http404(_("No such heading."))
    board, role = board_for(request, heading.board_id)
    if not role.is_facilitator:
        raise Http404(_("Only the facilitator removes headings."))
    services.delete_heading(heading)
    messages.success(
        request,
        _("Heading “%(title)s” removed; its ideas are back under “Not grouped yet”.") % {"title": heading.title},
    )
    return redirect(board)


@login_required
@require_POST
def board_toggle(request, pk):
    board, role = board_for(request, pk)
    if not role.is_facilitator:
        raise Http404(_("Only the facilitator opens and closes the board."))
    is_open = request.POST.get("open") == "1"
    services.set_board_open(board, is_open)
    messages.success(request, _("Board open again.") if is_open else _("Board closed: it stays readable."))
    return redirect(board)


@login_required
def board_export(request, pk):
    """The board as CSV (heading, idea, votes, author, country, posted), streamed. Facilitators only: it names the
    authors, and participants see only each other's country."""
    board, role = board_for(request, pk)
    if not role.is_facilitator:
        raise Http404(_("Only the facilitator downloads the board."))
    workshop = board.occurrence.session.workshop
    header = [
        _("Heading"),
        _("Idea"),
        _("Votes"),
        _("Author"),
        _("Country"),
        _("Posted (%(zone)s)") % {"zone": workshop.reference_timezone_label},
    ]
    rows = (
        [
            idea.heading.title if idea.heading_id else "",
            idea.text,
            idea.vote_count,
            str(idea.author.user),
            idea.author.country.name,
            f"{idea.created_at.astimezone(workshop.tz):%Y-%m-%d %H:%M}",
        ]
        for idea in selectors.board_export_rows(board)
    )
    name = f"board-{slugify(board.occurrence.cohort.name)}-session-{board.occurrence.session.number}.csv"
    return csv_response(name, header, rows)
