from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import selectors, services
from ..access import facilitated_occurrence_or_404, facilitated_poll_or_404, facilitated_run_or_404, poll_run_for
from ..forms import PollForm, VoteForm


def _poll_cards(occurrence):
    polls = list(selectors.session_polls(occurrence.session_id))
    runs = selectors.occurrence_poll_runs(occurrence)
    for poll in polls:
        if poll.pk in runs:
            runs[poll.pk].poll = poll  # its options are prefetched
    results = selectors.poll_results(list(runs.values()))
    return [
        {"poll": poll, "run": runs.get(poll.pk), "results": results.get(runs[poll.pk].pk) if poll.pk in runs else None}
        for poll in polls
    ]


@login_required
def polls(request, pk):
    """The session's polls as run for this group: open, close, share results, add questions."""
    occurrence = facilitated_occurrence_or_404(request, pk)
    form = PollForm(request.POST or None, session=occurrence.session)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.create_poll(
                occurrence.session,
                question=data["question"],
                kind=data["kind"],
                options=form.option_list(),
                max_choices=data["max_choices"],
                agenda_item=data["agenda_item"],
            )
        except services.LiveError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Question added. Both groups' pages have it."))
            return redirect("live:polls", pk=occurrence.pk)
    context = {
        "occurrence": occurrence,
        "workshop": occurrence.session.workshop,
        "cards": _poll_cards(occurrence),
        "form": form,
        "show_form": request.method == "POST",
    }
    return render(request, "live/polls.html", context, status=400 if request.method == "POST" else 200)


@login_required
def polls_live(request, pk):
    occurrence = facilitated_occurrence_or_404(request, pk)
    if not request.htmx:  # opened on its own: the polls page holds the cards
        return redirect("live:polls", pk=pk)
    return render(
        request, "live/partials/poll_cards.html", {"occurrence": occurrence, "cards": _poll_cards(occurrence)}
    )


@login_required
def poll_edit(request, pk):
    poll = facilitated_poll_or_404(request, pk)
    occurrence_pk = request.GET.get("occurrence") or request.POST.get("occurrence")
    occurrence = facilitated_occurrence_or_404(request, occurrence_pk) if occurrence_pk else None
    if occurrence is not None and occurrence.session_id != poll.session_id:
        raise Http404(_("That occurrence is of another session."))
    initial = {
        "question": poll.question,
        "kind": poll.kind,
        "max_choices": poll.max_choices,
        "options": "\n".join(option.text for option in poll.options.all()),
        "agenda_item": poll.agenda_item_id,
    }
    form = PollForm(request.POST or None, session=poll.session, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_poll(
                poll,
                question=data["question"],
                kind=data["kind"],
                options=form.option_list(),
                max_choices=data["max_choices"],
                agenda_item=data["agenda_item"],
            )
        except services.LiveError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Question saved."))
            if occurrence:
                return redirect("live:polls", pk=occurrence.pk)
            return redirect("live:poll_compare", pk=poll.pk)
    return render(request, "live/poll_edit.html", {"poll": poll, "form": form, "occurrence": occurrence})


@login_required
@require_POST
def poll_delete(request, pk):
    poll = facilitated_poll_or_404(request, pk)
    occurrence = facilitated_occurrence_or_404(request, request.POST.get("occurrence"))
    if occurrence.session_id != poll.session_id:
        raise Http404(_("That occurrence is of another session."))
    try:
        services.delete_poll(poll)
        messages.success(request, _("Question deleted."))
    except services.LiveError as exc:
        messages.error(request, str(exc))
    return redirect("live:polls", pk=occurrence.pk)


@login_required
@require_POST
def poll_open(request, pk, poll_pk):
    occurrence = facilitated_occurrence_or_404(request, pk)
    poll = facilitated_poll_or_404(request, poll_pk)
    try:
        services.open_poll(poll, occurrence)
        messages.success(
            request,
            _("Poll open for %(group)s: “%(question)s”.")
            % {"group": occurrence.cohort.name, "question": poll.question},
        )
    except services.LiveError as exc:
        messages.error(request, str(exc))
    return redirect("live:polls", pk=occurrence.pk)


@login_required
@require_POST
def poll_close(request, pk):
    run = facilitated_run_or_404(request, pk)
    services.close_poll(run)
    messages.success(request, _("Poll closed: it takes no more votes."))
    return redirect("live:polls", pk=run.occurrence_id)


@login_required
@require_POST
def poll_share(request, pk):
    run = facilitated_run_or_404(request, pk)
    visible = request.POST.get("visible") == "1"
    services.set_results_visible(run, visible)
    messages.success(
        request, _("Results shown to participants.") if visible else _("Results hidden from participants.")
    )
    return redirect("live:polls", pk=run.occurrence_id)


@login_required
def poll_compare(request, pk):
    """One poll's results for every group, side by side."""
    poll = facilitated_poll_or_404(request, pk)
    columns = selectors.poll_comparison(poll)
    options = list(poll.options.all())
    rows = [
        {"option": option, "cells": [results.options[index] for _run, results in columns]}
        for index, option in enumerate(options)
    ]
    context = {"poll": poll, "workshop": poll.session.workshop, "columns": columns, "rows": rows}
    return render(request, "live/poll_compare.html", context)


def _vote_context(request, run, role, form=None):
    voted = selectors.has_voted(run, role.participant)
    can_see_results = role.is_facilitator or run.results_visible
    return {
        "run": run,
        "poll": run.poll,
        "occurrence": run.occurrence,
        "workshop": run.occurrence.session.workshop,
        "role": role,
        "voted": voted,
        "form": form if form is not None else VoteForm(poll=run.poll),
        "can_vote": role.can_take_part and run.is_open and not voted,
        "results": selectors.poll_results([run])[run.pk] if can_see_results else None,
    }


@login_required
def poll_vote(request, pk):
    """A participant answers a poll of their group; the facilitator sees the same page with the results."""
    run, role = poll_run_for(request, pk)
    form = None
    if request.method == "POST":
        if not role.can_take_part:
            raise Http404(_("Only participants of the group vote."))
        form = VoteForm(request.POST, poll=run.poll)
        if form.is_valid():
            try:
                services.cast_vote(run, role.participant, form.option_ids())
            except services.LiveError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, _("Thank you: your vote is recorded."))
            return redirect("live:poll_vote", pk=run.pk)
    status = 400 if form is not None else 200
    return render(request, "live/poll_vote.html", _vote_context(request, run, role, form), status=status)


@login_required
def poll_results(request, pk):
    run, role = poll_run_for(request, pk)
    if not request.htmx:  # opened on its own: the poll's page shows the results
        return redirect("live:poll_vote", pk=run.pk)
    return render(request, "live/partials/poll_run_results.html", _vote_context(request, run, role))
