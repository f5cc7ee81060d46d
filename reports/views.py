"""The workshop report's pages. Every address answers 404 to anyone who does not facilitate the workshop
(organizers facilitate every workshop); participants never see it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from common.exports import attachment
from common.http import mark_private
from common.translations import export_language

from . import document, selectors, services
from .access import generated_report_or_404, report_scope_or_404
from .forms import ClosingTextForm, CommentChoiceForm, GenerateForm
from .models import ClosingText, GeneratedReport

POLL_SECONDS = 2
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _scope(request, workshop_pk: int, cohort_pk: int | None):
    return report_scope_or_404(request, workshop_pk, cohort_pk)


def _page_url(workshop, cohort) -> str:
    if cohort is not None:
        return reverse("reports:group", args=[workshop.pk, cohort.pk])
    return reverse("reports:workshop", args=[workshop.pk])


@login_required
@require_GET
def report_page(request, workshop_pk, cohort_pk=None):
    workshop, cohort = _scope(request, workshop_pk, cohort_pk)
    data = selectors.report_data(workshop, cohort)
    closing = ClosingText.objects.filter(workshop=workshop).first()
    return render(
        request,
        "reports/report.html",
        {
            "workshop": workshop,
            "cohort": cohort,
            "cohorts": data.cohorts if cohort is None else list(workshop.cohorts.order_by("name")),
            "data": data,
            "document": document.build(data),
            "closing_form": ClosingTextForm(initial={"text": closing.text if closing else ""}),
            "generate_form": GenerateForm(),
            "files": selectors.generated_reports(workshop, cohort),
            "page_url": _page_url(workshop, cohort),
            "poll_seconds": POLL_SECONDS,
        },
    )


@login_required
@require_POST
def closing_text(request, workshop_pk):
    workshop, _cohort = _scope(request, workshop_pk, None)
    form = ClosingTextForm(request.POST)
    back = request.POST.get("next") or reverse("reports:workshop", args=[workshop.pk])
    if not back.startswith("/facilitate/reports/"):
        back = reverse("reports:workshop", args=[workshop.pk])
    if form.is_valid():
        services.save_closing_text(workshop, form.cleaned_data["text"], request.user)
        messages.success(request, _("The closing section is saved."))
        return redirect(back + "#closing")
    data = selectors.report_data(workshop)
    return render(
        request,
        "reports/report.html",
        {
            "workshop": workshop,
            "cohort": None,
            "cohorts": data.cohorts,
            "data": data,
            "document": document.build(data),
            "closing_form": form,
            "generate_form": GenerateForm(),
            "files": selectors.generated_reports(workshop, None),
            "page_url": _page_url(workshop, None),
            "poll_seconds": POLL_SECONDS,
        },
        status=400,
    )


@login_required
def comments(request, workshop_pk):
    workshop, _cohort = _scope(request, workshop_pk, None)
    if request.method == "POST":
        form = CommentChoiceForm(request.POST)
        if form.is_valid():
            question, text = form.cleaned_data["question"], form.cleaned_data["text"]
            try:
                if form.cleaned_data["chosen"]:
                    services.choose_comment(workshop, question, text, request.user)
                else:
                    services.unchoose_comment(workshop, question, text)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
        else:
            messages.error(request, _("That comment could not be read; nothing changed."))
        return redirect(reverse("reports:comments", args=[workshop.pk]))
    cohorts = selectors.scope_cohorts(workshop, None)
    return render(
        request,
        "reports/comments.html",
        {
            "workshop": workshop,
            "rows": selectors.choosable_comments(workshop, cohorts),
            "threshold": selectors.anonymity_threshold(),
        },
    )


@login_required
@require_POST
def generate(request, workshop_pk, cohort_pk=None):
    workshop, cohort = _scope(request, workshop_pk, cohort_pk)
    form = GenerateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a format."))
        return redirect(_page_url(workshop, cohort))
    report = services.request_report(
        workshop,
        cohort,
        form.cleaned_data["format"],
        include_names=form.cleaned_data["include_names"],
        user=request.user,
        language=form.cleaned_data["language"] or export_language(request),
    )
    if request.htmx:
        return render(request, "reports/partials/file_row.html", _row_context(report))
    messages.info(request, _("The report is being made; this page shows when it is ready."))
    return redirect(_page_url(workshop, cohort) + "#files")


def _generated_or_404(request, pk) -> GeneratedReport:
    return generated_report_or_404(request, pk)


def _row_context(report):
    return {
        "fmt": report.format,
        "label": report.get_format_display(),
        "report": report,
        "workshop": report.workshop,
        "cohort": report.cohort,
        "poll_seconds": POLL_SECONDS,
    }


@login_required
@require_GET
def status(request, pk):
    report = _generated_or_404(request, pk)
    return render(request, "reports/partials/file_row.html", _row_context(report))


@login_required
@require_GET
def download(request, pk):
    report = _generated_or_404(request, pk)
    if not report.file:
        raise Http404(_("This report has not been made yet."))
    response = FileResponse(report.file.open("rb"), content_type=CONTENT_TYPES[report.format])
    attachment(response, services.file_name(report.workshop, report.cohort, report.format, report.language))
    mark_private(response)  # Cache-Control: private, no-store
    response["X-Content-Type-Options"] = "nosniff"
    return response
