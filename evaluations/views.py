from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from common import timefmt
from common.access import enrolled_required, viewer_of
from common.exports import attachment, csv_response
from common.fragments import cached_page
from common.translations import export_language, in_language, translated
from participants.access import facilitated_workshop_or_404

from . import exports, pdf, reports, selectors, services
from .access import answers_or_previews, facilitated_form_or_404
from .charts import series_style, trend_svg
from .forms import AnswerForm
from .models import EvaluationForm

# --- participants ------------------------------------------------------------------------------------------------


@enrolled_required
def evaluation_list(request):
    participation = request.participation
    services.ensure_forms(participation.cohort.workshop)
    rows = selectors.participant_evaluations(participation)
    return render(
        request,
        "evaluations/list.html",
        {
            "open_rows": [r for r in rows if r.status == EvaluationForm.Status.OPEN],
            "upcoming_rows": [r for r in rows if r.status == EvaluationForm.Status.UPCOMING],
            "closed_rows": [r for r in rows if r.status == EvaluationForm.Status.CLOSED],
            "workshop": participation.cohort.workshop,
        },
    )


def _edit_cookie_name(form: EvaluationForm) -> str:
    return f"evaluation_edit_{form.pk}"


def _edit_cookie_salt(form: EvaluationForm, participant) -> str:
    # Bound to the person: someone else signing in on the same browser cannot use it.
    return f"evaluations.edit.{form.pk}.{participant.pk}"


@login_required
@cached_page
def evaluation_form(request, pk):
    """A participant answers (or changes their answers to) one evaluation; facilitators see a preview."""
    form = selectors.form_with_questions(pk)
    if answers_or_previews(viewer_of(request), form) == "preview":
        workshop = form.cohort.workshop
        answer_form = AnswerForm(form.question_list, disabled=True)
        return render(
            request,
            "evaluations/form.html",
            {"form": form, "answer_form": answer_form, "preview": True, "workshop": workshop},
        )
    participation = request.participation
    workshop = form.cohort.workshop

    edit_key = request.get_signed_cookie(
        _edit_cookie_name(form), default="", salt=_edit_cookie_salt(form, participation)
    )
    state = selectors.answer_state(form, participation, edit_key)
    refusal, http_status, answer_form = "", 200, None
    if request.method == "POST":
        if state.status == EvaluationForm.Status.UPCOMING:
            refusal, http_status = services.NOT_OPEN_YET, 403
        elif state.status == EvaluationForm.Status.CLOSED:
            refusal, http_status = services.CLOSED, 403
        elif not state.editable:
            refusal, http_status = services.ALREADY_ANSWERED, 409
        else:
            answer_form = AnswerForm(form.question_list, request.POST)
            if not answer_form.is_valid():
                http_status = 400
            else:
                try:
                    result = services.submit_response(form, participation, answer_form.cleaned_data, edit_key=edit_key)
                except services.FormNotOpen as exc:
                    refusal, http_status = str(exc), 403
                except services.AlreadyAnswered as exc:
                    refusal, http_status = str(exc), 409
                except services.EvaluationError as exc:
                    answer_form.add_error(None, str(exc))
                else:
                    return _after_submit(request, form, participation, result)
    elif state.editable:
        initial = selectors.response_values(state.own) if state.own is not None else None
        answer_form = AnswerForm(form.question_list, initial=initial)

    return render(
        request,
        "evaluations/form.html",
        {
            "form": form,
            "workshop": workshop,
            "state": state,
            "answer_form": answer_form if state.editable and not refusal else None,
            "refusal": refusal,
        },
        status=http_status,
    )


def _after_submit(request, form, participation, result):
    closes = timefmt.moment_text(form.closes_at, form.cohort.workshop, date="medium", zone_label="abbreviation")
    if result.created:
        if form.is_anonymous:
            text = _(
                "Thank you: your answers to “%(title)s” are saved. "
                "You can change them until %(closes)s from this browser."
            )
        else:
            text = _("Thank you: your answers to “%(title)s” are saved. You can change them until %(closes)s.")
        messages.success(request, text % {"title": translated(form, "title"), "closes": closes})
    else:
        messages.success(
            request, _("Your changed answers to “%(title)s” are saved.") % {"title": translated(form, "title")}
        )
    response = redirect("evaluations:list")
    if result.created and result.edit_key:
        response.set_signed_cookie(
            _edit_cookie_name(form),
            result.edit_key,
            salt=_edit_cookie_salt(form, participation),
            max_age=max(int((form.closes_at - timezone.now()).total_seconds()), 60),
            path="/evaluations/",
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )
    return response


# --- facilitators' reports ---------------------------------------------------------------------------------------


def _facilitated_form_or_404(request, pk) -> EvaluationForm:
    return facilitated_form_or_404(viewer_of(request), pk)


def _trend_charts(report: reports.WorkshopReport) -> list[dict]:
    x_labels = [_("S%(number)s") % {"number": n} for n in report.session_numbers]
    lines = [(_("All rating questions (mean)"), report.overall_trend)]
    lines += [(line.text, line.means) for line in report.trend]
    charts = []
    for text, means in lines:
        series = [(cohort.name, means[cohort.pk]) for cohort in report.cohorts]
        rows = [{"cohort": cohort, "means": means[cohort.pk]} for cohort in report.cohorts]
        charts.append({"title": text, "svg": trend_svg(x_labels, series, title=text), "rows": rows})
    return charts


@login_required
@cached_page
def workshop_reports(request, workshop_pk):
    """Every evaluation of a workshop: response rates, the trend over the sessions, the course side by side."""
    workshop = facilitated_workshop_or_404(request, workshop_pk)
    services.ensure_forms(workshop)
    report = reports.workshop_report(workshop, comment_limit=reports.PAGE_COMMENT_LIMIT)
    legend = [
        {"cohort": c, "colour": series_style(i)[0], "dash": series_style(i)[1]} for i, c in enumerate(report.cohorts)
    ]
    return render(
        request,
        "evaluations/workshop_report.html",
        {
            "workshop": workshop,
            "report": report,
            "charts": _trend_charts(report) if report.has_responses else [],
            "legend": legend,
        },
    )


@login_required
def form_report(request, pk):
    form = _facilitated_form_or_404(request, pk)
    report = reports.form_report(form)
    siblings = (
        EvaluationForm.objects.filter(cohort__workshop=form.cohort.workshop, kind=form.kind)
        .exclude(pk=form.pk)
        .select_related("cohort")
    )
    if form.occurrence_id:
        siblings = siblings.filter(occurrence__session_id=form.occurrence.session_id)
    return render(
        request,
        "evaluations/form_report.html",
        {
            "form": form,
            "workshop": form.cohort.workshop,
            "report": report,
            "other_groups": sorted(siblings, key=lambda f: f.cohort.name),
            "comment_limit": reports.PAGE_COMMENT_LIMIT,
        },
    )


@login_required
def compare_session(request, workshop_pk, number):
    return _compare(request, workshop_pk, number)


@login_required
def compare_course(request, workshop_pk):
    return _compare(request, workshop_pk, None)


def _compare(request, workshop_pk, number):
    workshop = facilitated_workshop_or_404(request, workshop_pk)
    comparison = reports.compare_groups(workshop, number)
    if comparison is None:
        raise Http404("No evaluation forms for this session yet.")
    return render(
        request,
        "evaluations/compare.html",
        {"workshop": workshop, "comparison": comparison, "comment_limit": reports.PAGE_COMMENT_LIMIT},
    )


@login_required
def open_form_now(request, pk):
    form = _facilitated_form_or_404(request, pk)  # before the method check: others learn nothing, not even 405
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        services.open_now(form)
    except services.EvaluationError as exc:
        messages.warning(request, str(exc))
    else:
        closes = timefmt.moment_text(form.closes_at, form.cohort.workshop, date="medium", zone_label="abbreviation")
        messages.success(
            request,
            _("“%(title)s” is open for %(group)s until %(closes)s.")
            % {"title": translated(form, "title"), "group": form.cohort.name, "closes": closes},
        )
    return redirect("evaluations:report", pk=form.pk)


@login_required
def form_csv(request, pk):
    form = _facilitated_form_or_404(request, pk)
    questions = list(form.questions.all())
    language = export_language(request)  # one language per file, chosen at download
    with translation.override(language):
        header, rows = exports.csv_table(form, questions)
    # The rows are read while the response streams, after the view returns: they are built in the same language.
    return csv_response(exports.download_name(form, "csv", language), header, in_language(rows, language))


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
def form_xlsx(request, pk):
    form = _facilitated_form_or_404(request, pk)
    language = export_language(request)
    with translation.override(language):
        report = reports.form_report(form, comment_limit=0)
        questions = [q.question for q in report.questions]
        body = exports.xlsx_file(report, questions)
    return FileResponse(
        body,
        as_attachment=True,
        filename=exports.download_name(form, "xlsx", language),
        content_type=XLSX_TYPE,
    )


@login_required
def form_pdf(request, pk):
    form = _facilitated_form_or_404(request, pk)
    language = export_language(request)  # like the other downloads: one language, chosen at download
    with translation.override(language):
        report = reports.form_report(form, comment_limit=None)
        body = pdf.form_pdf(report)
    response = HttpResponse(body, content_type="application/pdf")
    attachment(response, exports.download_name(form, "pdf", language))
    return response


@login_required
def workshop_pdf(request, workshop_pk):
    workshop = facilitated_workshop_or_404(request, workshop_pk)
    language = export_language(request)
    with translation.override(language):
        report = reports.workshop_report(workshop, comment_limit=None)
        body = pdf.workshop_pdf(report)
    response = HttpResponse(body, content_type="application/pdf")
    attachment(response, f"{slugify(workshop.slug)}-evaluations-{language}.pdf")
    return response


@login_required
def workshop_xlsx(request, workshop_pk):
    workshop = facilitated_workshop_or_404(request, workshop_pk)
    language = export_language(request)
    with translation.override(language):
        report = reports.workshop_report(workshop)
        body = exports.workshop_xlsx_file(report)
    return FileResponse(
        body,
        as_attachment=True,
        filename=f"{slugify(workshop.slug)}-evaluations-{language}.xlsx",
        content_type=XLSX_TYPE,
    )
