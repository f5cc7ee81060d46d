"""Thin views: nominators' country pages, the public application form, the organizers' pages and downloads."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.access import viewer_of
from common.http import client_ip
from participants.models import Country
from sessions_app.models import Workshop

from . import exports, selectors, services
from .access import country_page_or_404, organizer_call_or_404, own_nomination_or_404
from .forms import CourtesyForm, DecisionForm, NominationForm, NominatorInviteForm, PublicApplicationForm, SeedForm
from .models import Call, Nomination

S = Nomination.Status


def _errors_to_form(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


# Nominators ---------------------------------------------------------------------------------------------------


@login_required
def my_countries(request):
    roles = selectors.nominator_countries(request.user)
    if not roles:
        raise Http404("You do not nominate for a workshop.")
    if len(roles) == 1:
        return redirect("nominations:country", roles[0].call_id, roles[0].country.code)
    return render(request, "nominations/my_countries.html", {"roles": roles})


@login_required
def country(request, call_pk, code):
    call, country = country_page_or_404(viewer_of(request), call_pk, code)
    form = NominationForm(request.POST or None, request.FILES or None, call=call)
    if request.method == "POST" and form.is_valid():
        try:
            services.nominate(call, country, form.data_for_service(), by=request.user, cv=form.cleaned_data.get("cv"))
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, _("The nomination is saved; a confirmation mail is on its way."))
            return redirect("nominations:country", call.pk, country.code)
    nominations = selectors.country_nominations(call, country)
    counted = [n for n in nominations if n.status != S.WITHDRAWN]
    return render(
        request,
        "nominations/country.html",
        {
            "call": call,
            "workshop": call.workshop,
            "country": country,
            "nominations": nominations,
            "nominated": len(counted),
            "form": form,
            "open": call.accepts_nominations(),
        },
    )


def _own_nomination_or_404(request, call_pk, code, pk):
    return own_nomination_or_404(viewer_of(request), call_pk, code, pk)


@login_required
def edit(request, call_pk, code, pk):
    call, country, nomination = _own_nomination_or_404(request, call_pk, code, pk)
    form = NominationForm(request.POST or None, request.FILES or None, instance=nomination, call=call)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_nomination(
                nomination, form.data_for_service(), by=request.user, cv=form.cleaned_data.get("cv") or None
            )
        except ValidationError as exc:
            nomination.refresh_from_db()
            _errors_to_form(form, exc)
        else:
            messages.success(request, _("The nomination is updated."))
            return redirect("nominations:country", call.pk, country.code)
    return render(
        request,
        "nominations/edit.html",
        {"call": call, "workshop": call.workshop, "country": country, "nomination": nomination, "form": form},
    )


@login_required
@require_POST
def withdraw(request, call_pk, code, pk):
    call, country, nomination = _own_nomination_or_404(request, call_pk, code, pk)
    try:
        services.withdraw(nomination, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%(name)s is withdrawn.") % {"name": nomination.full_name})
    return redirect("nominations:country", call.pk, country.code)


@login_required
def cv(request, pk):
    """A nomination's CV: for the organizers and the country's nominators."""
    nomination = Nomination.objects.select_related("country").filter(pk=pk).first()
    if nomination is None or not nomination.cv:
        raise Http404("No such file.")
    country_page_or_404(viewer_of(request), nomination.call_id, nomination.country.code)
    return FileResponse(nomination.cv.open("rb"), as_attachment=True, filename=nomination.cv_name or "cv")


# The open call ------------------------------------------------------------------------------------------------


def _client_address(request) -> str:
    # Behind the reverse proxy every applicant would share the proxy's address; read it as sign-in does.
    return client_ip(request) or "unknown"


def apply(request, slug):
    call = Call.objects.select_related("workshop").filter(workshop__slug=slug).first()
    if call is None or not call.is_open_call:
        raise Http404("This workshop has no open call.")
    form = PublicApplicationForm(request.POST or None, request.FILES or None, call=call)
    if request.method == "POST" and call.accepts_nominations() and form.is_valid():
        try:
            services.apply_publicly(
                call,
                form.cleaned_data["country"],
                form.data_for_service(),
                client_address=_client_address(request),
                cv=form.cleaned_data.get("cv"),
            )
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            return render(request, "nominations/apply_sent.html", {"call": call, "workshop": call.workshop})
    return render(
        request,
        "nominations/apply.html",
        {"call": call, "workshop": call.workshop, "form": form, "open": call.accepts_nominations()},
    )


def confirm(request, token):
    """A GET shows a button; the POST confirms (mail scanners that follow links confirm nothing)."""
    if request.method == "POST":
        try:
            nomination = services.confirm_application(token)
        except ValidationError as exc:
            return render(request, "nominations/confirm.html", {"error": " ".join(exc.messages)}, status=400)
        if nomination is None:
            return render(
                request, "nominations/confirm.html", {"error": _("This link is used or unknown.")}, status=404
            )
        return render(request, "nominations/confirm.html", {"done": nomination})
    return render(request, "nominations/confirm.html", {"token": token})


# Organizers ---------------------------------------------------------------------------------------------------


def _organizer_call_or_404(request, workshop_pk) -> Call:
    return organizer_call_or_404(viewer_of(request), workshop_pk)


@login_required
def review(request, workshop_pk):
    if viewer_of(request).is_organizer and not Call.objects.filter(workshop_id=workshop_pk).exists():
        workshop = get_object_or_404(Workshop, pk=workshop_pk)
        return render(request, "nominations/no_call.html", {"workshop": workshop})
    call = _organizer_call_or_404(request, workshop_pk)
    invite_form = NominatorInviteForm(request.POST or None, call=call, prefix="invite")
    if request.method == "POST" and invite_form.is_valid():
        data = invite_form.cleaned_data
        try:
            services.invite_nominator(
                call,
                data["country"],
                data["email"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                actor=request.user,
            )
        except ValidationError as exc:
            _errors_to_form(invite_form, exc)
        else:
            messages.success(request, _("%(email)s is invited to nominate.") % {"email": data["email"]})
            return redirect("nominations:review", workshop_pk)
    data = selectors.review(call)
    return render(
        request,
        "nominations/review.html",
        {
            "call": call,
            "workshop": call.workshop,
            "review": data,
            "decision_form": DecisionForm(),
            "invite_form": invite_form,
            "gender_labels": dict(Nomination.Gender.choices),
            "seniority_labels": dict(Nomination.Seniority.choices),
        },
    )


@login_required
@require_POST
def decide(request, workshop_pk, pk):
    call = _organizer_call_or_404(request, workshop_pk)
    nomination = get_object_or_404(Nomination.objects.select_related("country", "call"), pk=pk, call=call)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose accept, waitlist or decline."))
    else:
        try:
            services.decide(
                nomination,
                form.cleaned_data["status"],
                by=request.user,
                note=form.cleaned_data["note"],
                override=form.cleaned_data["override"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                _("%(name)s: %(status)s.") % {"name": nomination.full_name, "status": nomination.get_status_display()},
            )
    return redirect(reverse("nominations:review", args=[workshop_pk]) + f"#country-{nomination.country.code}")


@login_required
@require_POST
def organizer_withdraw(request, workshop_pk, pk):
    call = _organizer_call_or_404(request, workshop_pk)
    nomination = get_object_or_404(Nomination.objects.select_related("country", "call"), pk=pk, call=call)
    try:
        services.withdraw(nomination, by=request.user, note=request.POST.get("note", "")[:500])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%(name)s is withdrawn.") % {"name": nomination.full_name})
    return redirect(reverse("nominations:review", args=[workshop_pk]) + f"#country-{nomination.country.code}")


@login_required
@require_POST
def promote(request, workshop_pk, pk):
    call = _organizer_call_or_404(request, workshop_pk)
    nomination = get_object_or_404(Nomination.objects.select_related("country", "call"), pk=pk, call=call)
    try:
        services.promote(nomination, by=request.user, note=request.POST.get("note", "")[:500])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%(name)s is promoted from the waitlist.") % {"name": nomination.full_name})
    return redirect(reverse("nominations:review", args=[workshop_pk]) + f"#country-{nomination.country.code}")


@login_required
def groups(request, workshop_pk):
    call = _organizer_call_or_404(request, workshop_pk)
    seed_form = SeedForm(request.POST or None)
    action = request.POST.get("action")
    problems = None
    if request.method == "POST":
        try:
            if action == "propose" and seed_form.is_valid():
                services.propose_groups(call, seed=seed_form.cleaned_data["seed"], by=request.user)
                messages.success(request, _("A proposal is ready. Move countries if you like, then confirm."))
                return redirect("nominations:groups", workshop_pk)
            if action == "move":
                country = get_object_or_404(Country, pk=request.POST.get("country") or 0)
                cohort = get_object_or_404(call.workshop.cohorts, pk=request.POST.get("cohort") or 0)
                services.move_country(call, country, cohort, by=request.user)
                messages.success(request, _("%(country)s moved to %(group)s.") % {"country": country, "group": cohort})
                return redirect("nominations:groups", workshop_pk)
            if action == "confirm":
                result = services.confirm_groups(call, by=request.user)
                if result.ok:
                    messages.success(
                        request,
                        _("%(n)s people are enrolled and invited.") % {"n": len(result.enrolled)},
                    )
                    return redirect("nominations:groups", workshop_pk)
                problems = result.check.problem_rows
                messages.error(request, _("Nobody was enrolled: fix the problems below first."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    accepted = selectors.accepted(call)
    cohorts = list(call.workshop.cohorts.order_by("name"))
    pending = [n for n in accepted if n.participant_id is None]
    columns = []
    for cohort in [*cohorts, None]:
        cohort_id = cohort.pk if cohort else None
        members = [n for n in accepted if n.group_id == cohort_id]
        countries: dict = {}
        for nomination in members:
            entry = countries.setdefault(nomination.country, {"country": nomination.country, "members": []})
            entry["members"].append(nomination)
            entry["enrolled"] = entry.get("enrolled", False) or nomination.participant_id is not None
        columns.append(
            {
                "cohort": cohort,
                "countries": list(countries.values()),
                "count": len(members),
                "women": sum(1 for n in members if n.gender == Nomination.Gender.WOMAN),
                "men": sum(1 for n in members if n.gender == Nomination.Gender.MAN),
                "zones": sorted({n.country.timezone for n in members}),
            }
        )
    return render(
        request,
        "nominations/groups.html",
        {
            "call": call,
            "workshop": call.workshop,
            "columns": columns,
            "cohorts": cohorts,
            "seed_form": seed_form,
            "problems": problems,
            "accepted_count": len(accepted),
            "pending_count": len(pending),
        },
    )


@login_required
def courtesy(request, workshop_pk):
    call = _organizer_call_or_404(request, workshop_pk)
    form = CourtesyForm(request.POST or None)
    recipients = services.courtesy_recipients(call)
    preview = None
    if request.method == "POST" and form.is_valid():
        if request.POST.get("action") == "send":
            sent = services.send_courtesy_mails(call, by=request.user, intro=form.cleaned_data["intro"])
            messages.success(request, _("%(n)s courteous mails are sent.") % {"n": sent})
            return redirect("nominations:review", workshop_pk)
        if recipients:  # the Send button appears with the preview only
            preview = services.courtesy_message(recipients[0], form.cleaned_data["intro"])
    return render(
        request,
        "nominations/courtesy.html",
        {"call": call, "workshop": call.workshop, "form": form, "recipients": recipients, "preview": preview},
    )


@login_required
def download(request, workshop_pk, what, fmt):
    call = _organizer_call_or_404(request, workshop_pk)
    if what not in exports.TABLES or fmt not in ("csv", "xlsx"):
        raise Http404("No such download.")
    return exports.response(call, what, fmt)
