from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from common import background
from common.access import enrolled_required, viewer_of
from common.exports import csv_response
from common.fragments import cached_page
from common.http import safe_next_url
from common.translations import translated
from participants.access import facilitated_cohort_or_404
from sessions_app.models import PreparationTask

from . import selectors, services
from .access import can_download_task_files, can_view_submission, participant_task
from .forms import SubmissionForm, effective_deliverable
from .zips import task_files_target


def _rows_with_forms(rows, data=None, files=None, bound_key=None):
    """Each row gets its form; only the one that was posted is bound to the posted data."""
    for row in rows:
        latest = row.submission.latest_version if row.submission else None
        initial_text = latest.text if latest is not None else ""
        bound = data is not None and row.owner_key == bound_key
        row.form = SubmissionForm(
            data if bound else None,
            files if bound else None,
            task=row.task,
            initial_text=initial_text,
            initial={"team": row.team.pk if row.team else None},
        )
        row.deliverable = effective_deliverable(row.task)
    return rows


@enrolled_required
@cached_page
def my_preparation(request):
    participation = request.participation
    sessions = selectors.participant_preparation(participation)
    page = reverse("preparation:mine")
    for block in sessions:
        _rows_with_forms(block.rows)
        for row in block.rows:
            row.back = f"{page}#task-{row.task.pk}" + (f"-team-{row.team.pk}" if row.team else "")
    rows = [row for block in sessions for row in block.rows]
    return render(
        request,
        "preparation/my_preparation.html",
        {
            "sessions": sessions,
            "workshop": participation.cohort.workshop,
            "todo_count": sum(1 for row in rows if not row.is_done and not row.task.is_optional),
            "done_count": sum(1 for row in rows if row.is_done),
        },
    )


@enrolled_required
def preparation_task(request, pk):
    """A task as the participant meets it: instructions, due moment, their (team's) work, the form to submit."""
    participation = request.participation
    task = participant_task(participation, pk)
    if task is None:
        return render(request, "preparation/not_your_task.html", status=404)
    rows = selectors.task_rows(participation, task)
    here = reverse("preparation:task", args=[task.pk])
    posted_key = None
    if request.method == "POST":
        team_id = request.POST.get("team") or ""
        row = next((r for r in rows if r.team is not None and str(r.team.pk) == team_id), rows[0])
        posted_key = row.owner_key
        if request.POST.get("action") == "undo":
            try:
                services.undo_done(task, participation, team=row.team)
            except services.SubmissionRefused as exc:
                messages.error(request, str(exc))
            else:
                messages.info(
                    request,
                    _("“%(title)s” is marked as not done.") % {"title": str(translated(task, "title"))},
                )
            return redirect(safe_next_url(request, here))
        _rows_with_forms(rows, request.POST, request.FILES, posted_key)
        form = row.form
        if form.is_valid():
            try:
                version = services.submit(
                    task,
                    participation,
                    team=row.team,
                    text=form.cleaned_data.get("text", ""),
                    link=form.cleaned_data.get("link", ""),
                    upload=form.cleaned_data.get("upload"),
                )
            except services.SubmissionRefused as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _success_message(task, version))
                return redirect(safe_next_url(request, here))
    else:
        _rows_with_forms(rows)
    for row in rows:
        row.versions = list(selectors.versions_of(row.submission)) if row.submission else []
    occurrence = task.session.occurrences.filter(cohort_id=participation.cohort_id).first()
    return render(
        request,
        "preparation/task.html",
        {
            "task": task,
            "rows": rows,
            "occurrence": occurrence,
            "workshop": participation.cohort.workshop,
            "next": safe_next_url(request, ""),
        },
        status=400 if posted_key is not None else 200,
    )


def _success_message(task, version) -> str:
    if version.kind == "done":
        message = _("“%(task)s” marked as done.") % {"task": str(translated(task, "title"))}
    else:
        message = _("“%(task)s” handed in (version %(number)s).") % {"task": task.title, "number": version.number}
    if version.is_late:
        message += " " + _("It came after the due moment, so it is kept and marked late.")
    return message


@login_required
def submission_detail(request, pk):
    submission = selectors.submission_with_owner(pk)
    if submission is None or not can_view_submission(request.user, submission):
        raise Http404("No such submission.")
    versions = list(selectors.versions_of(submission))
    is_facilitator = viewer_of(request).facilitates(submission.cohort.workshop_id)
    return render(
        request,
        "preparation/submission.html",
        {
            "submission": submission,
            "task": submission.task,
            "versions": versions,
            "workshop": submission.cohort.workshop,
            "is_facilitator": is_facilitator,
        },
    )


@login_required
def version_file(request, pk):
    version = selectors.version_with_submission(pk)
    if version is None or not version.file or not can_view_submission(request.user, version.submission):
        raise Http404("No such file.")
    try:
        handle = version.file.open("rb")
    except OSError as exc:
        raise Http404("The file is missing from the portal's storage.") from exc
    return FileResponse(
        handle,
        as_attachment=True,
        filename=version.original_name or "submission",
        content_type=version.content_type or "application/octet-stream",
    )


def _int_param(request, name):
    try:
        return int(request.GET.get(name) or 0) or None
    except ValueError:
        return None


@login_required
@cached_page
def progress_board(request, cohort_pk):
    cohort = facilitated_cohort_or_404(request, cohort_pk)
    session_number = _int_param(request, "session")
    country_id = _int_param(request, "country")
    board = selectors.progress_board(cohort, session_number=session_number, country_id=country_id)
    return render(
        request,
        "preparation/board.html",
        {
            "board": board,
            "cohort": cohort,
            "workshop": cohort.workshop,
            "session_number": session_number,
            "country_id": country_id,
            "query": request.GET.urlencode(),
        },
    )


@login_required
def progress_board_csv(request, cohort_pk):
    cohort = facilitated_cohort_or_404(request, cohort_pk)
    board = selectors.progress_board(
        cohort, session_number=_int_param(request, "session"), country_id=_int_param(request, "country")
    )
    header = [_("Name"), _("E-mail"), _("Country or members"), _("Kind")] + [
        f"S{t.session.number} {t.title}" for t in board.tasks
    ]
    rows = (
        [
            row.label,
            row.participant.user.email if row.participant else "",
            row.detail,
            row.kind,
            *(_csv_cell(cell) for cell in row.cells),
        ]
        for row in board.participant_rows + board.team_rows
    )
    name = f"preparation-{slugify(cohort.workshop.slug)}-{slugify(cohort.name)}-{timezone.now():%Y%m%d}.csv"
    return csv_response(name, header, rows)


def _csv_cell(cell) -> str:
    if not cell.applies:
        return ""
    text = cell.label
    if cell.handed_in_at:
        text += f" {timezone.localtime(cell.handed_in_at):%Y-%m-%d %H:%M}"
    return text


@login_required
def task_files_zip(request, pk):
    """The zip of a task's files (in one group): made in the worker; this page shows the last one and asks for a
    fresh one (common/background.py)."""
    task = PreparationTask.objects.select_related("session__workshop").filter(pk=pk).first()
    if task is None or not can_download_task_files(request.user, task):
        raise Http404("No such task.")
    cohort = None
    if request.GET.get("group"):
        cohort = facilitated_cohort_or_404(request, _int_param(request, "group") or 0)
        if cohort.workshop_id != task.session.workshop_id:
            raise Http404("No such group.")
    if not selectors.latest_files(task, cohort):
        nothing = _("Nobody has handed in a file for “%(task)s” yet, so there is nothing to download.")
        messages.info(request, nothing % {"task": task.title})
        return (
            redirect("preparation:progress_board", cohort.pk) if cohort is not None else redirect("sessions:facilitate")
        )
    kind = background.job_kind("preparation.task_files")
    return background.status_page(request, kind, task_files_target(task, cohort))
