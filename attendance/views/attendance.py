from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from participants.access import facilitated_cohort_or_404
from participants.selectors import group_participants
from sessions_app.access import facilitated_occurrence_or_404

from .. import export as attendance_export
from .. import selectors, services
from ..forms import AttendanceForm, AttendeeReportForm


def _page(request, occurrence, *, form=None, report_form=None, result=None, status=200):
    rows = selectors.attendance_sheet(occurrence)
    if form is None:
        form = AttendanceForm(
            participants=[row.participant for row in rows],
            initial_values={row.participant.pk: row.status for row in rows},
        )
    records = {row.participant.pk: row.record for row in rows}
    context = {
        "occurrence": occurrence,
        "workshop": occurrence.session.workshop,
        "form": form,
        "rows": [(participant, field, records.get(participant.pk)) for participant, field in form.rows()],
        "report_form": report_form or AttendeeReportForm(),
        "result": result,
        "settings": selectors.live_settings_for(occurrence.session.workshop),
        "summary": selectors.attendance_summary(occurrence),
    }
    return render(request, "attendance/attendance.html", context, status=status)


@login_required
def attendance(request, pk):
    """The whole group on one form: present, partly or absent."""
    occurrence = facilitated_occurrence_or_404(request, pk)
    if request.method != "POST":
        return _page(request, occurrence)
    participants = list(group_participants(occurrence.cohort_id))
    form = AttendanceForm(request.POST, participants=participants, initial_values={})
    if not form.is_valid():
        messages.error(request, _("Some marks were not understood; nothing was saved."))
        return _page(request, occurrence, form=form, status=400)
    try:
        changed = services.record_attendance(occurrence, form.values(), by=request.user)
    except services.AttendanceError as exc:
        messages.error(request, str(exc))
        return redirect("attendance:attendance", pk=occurrence.pk)
    messages.success(
        request,
        ngettext("Attendance saved (%(changed)s change).", "Attendance saved (%(changed)s changes).", changed)
        % {"changed": changed},
    )
    return redirect("attendance:attendance", pk=occurrence.pk)


@login_required
@require_POST
def attendance_import(request, pk):
    """Attendance from the meeting platform's report; the page shows what matched and what did not."""
    occurrence = facilitated_occurrence_or_404(request, pk)
    report_form = AttendeeReportForm(request.POST, request.FILES)
    if not report_form.is_valid():
        return _page(request, occurrence, report_form=report_form, status=400)
    try:
        result = services.import_attendee_report(
            occurrence,
            report_form.cleaned_data["report"].read(),
            by=request.user,
            mark_missing_absent=report_form.cleaned_data["mark_missing_absent"],
        )
    except services.AttendanceError as exc:
        report_form.add_error("report", str(exc))
        return _page(request, occurrence, report_form=report_form, status=400)
    messages.success(
        request,
        ngettext(
            "Attendance imported for %(matched)s participant.",
            "Attendance imported for %(matched)s participants.",
            result.matched,
        )
        % {"matched": result.matched},
    )
    return _page(request, occurrence, result=result)


def _download(table, fmt):
    if fmt == "csv":
        return attendance_export.csv_download(table)
    return attendance_export.xlsx_download(table)


@login_required
@require_GET
def attendance_download(request, pk, fmt):
    """One session's attendance of the group (facilitators of the workshop and organizers; others get 404)."""
    occurrence = facilitated_occurrence_or_404(request.user, pk)
    table = selectors.attendance_table(occurrence.cohort, [occurrence])
    return _download(table, fmt)


@login_required
@require_GET
def group_attendance_download(request, cohort_pk, fmt):
    """Every session's attendance of one group, a column per session."""
    cohort = facilitated_cohort_or_404(request, cohort_pk)
    return _download(selectors.attendance_table(cohort), fmt)
