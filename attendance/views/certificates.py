from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render

from common import background
from common.exports import attachment
from participants.access import facilitated_cohort_or_404, is_organizer, participation_or_404

from .. import certificate_zips, certificates, selectors, services
from ..access import certificates_issuer_cohort_or_404
from ..forms import VerifyForm


@login_required
def my_certificate(request):
    """The participant's certificate status: what is missing, or the download."""
    participation = participation_or_404(request)
    status = selectors.certificate_status(participation)
    return render(
        request, "attendance/my_certificate.html", {"status": status, "workshop": participation.cohort.workshop}
    )


@login_required
def my_certificate_pdf(request):
    """POST issues the certificate the first time (a state change); GET only downloads one already issued, and
    otherwise goes to the page whose button posts here."""
    participation = participation_or_404(request)
    status = selectors.certificate_status(participation)
    if request.method == "POST":
        try:
            certificate = services.issue_certificate(status)
        except services.AttendanceError as exc:
            messages.error(request, str(exc))
            return redirect("attendance:my_certificate")
    else:
        certificate = status.certificate if status.qualifies else None
        if certificate is None:
            return redirect("attendance:my_certificate")
    pdf = certificates.render(certificate, selectors.certificate_context(participation.cohort.workshop))
    response = HttpResponse(pdf, content_type="application/pdf")
    attachment(response, certificates.filename(certificate))
    return response


@login_required
def group_certificates(request, cohort_pk):
    """Facilitators see who qualifies and which sessions each person missed; organizers download the zip."""
    cohort = facilitated_cohort_or_404(request, cohort_pk)
    settings = selectors.live_settings_for(cohort.workshop)
    statuses = selectors.group_certificate_statuses(cohort, settings=settings)
    context = {
        "cohort": cohort,
        "workshop": cohort.workshop,
        "statuses": statuses,
        "occurrences": statuses[0].sessions if statuses else [],
        "qualifying_count": sum(1 for s in statuses if s.qualifies),
        "workshop_over": statuses[0].workshop_over if statuses else False,
        "settings": settings,
        "can_download": is_organizer(request.user),
    }
    return render(request, "attendance/group_certificates.html", context)


@login_required
def group_certificates_zip(request, cohort_pk):
    """The group's certificates as one zip, made in the worker: a GET shows the last one made and how far the next
    is; a POST asks for a fresh one, which issues the missing certificates (common/background.py)."""
    cohort = certificates_issuer_cohort_or_404(request, cohort_pk)
    return background.status_page(request, background.job_kind(certificate_zips.KEY), str(cohort.pk))


def verify_certificate(request):
    """Public: anyone holding a certificate's code can check it. A wrong code reveals nothing."""
    form = VerifyForm(request.GET or None)
    certificate, checked = None, False
    if form.is_valid():
        checked = True
        certificate = selectors.certificate_by_code(form.cleaned_data["code"])
    status = 404 if checked and certificate is None else 200
    response = render(
        request, "attendance/verify.html", {"form": form, "certificate": certificate, "checked": checked}, status=status
    )
    response["X-Robots-Tag"] = "noindex"
    return response
