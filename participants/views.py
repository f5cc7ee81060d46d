from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from common.i18n import override_for
from sessions_app.calendar import occurrences_calendar, workshop_calendar_name
from sessions_app.selectors import cohort_occurrences

from . import services
from .forms import NewLinkForm, ProfileForm
from .models import Participant


@login_required
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        user = services.update_profile(request.user, **form.cleaned_data)
        with override_for(user, workshop=request.participation.cohort.workshop if request.participation else None):
            messages.success(request, _("Your profile is saved. Times are now shown in your chosen zone."))
        return redirect("participants:profile")
    feed_url = None
    if request.participation is not None:
        feed_url = request.build_absolute_uri(
            reverse("participants:calendar_feed", args=[request.participation.calendar_token])
        )
    return render(request, "participants/profile.html", {"form": form, "feed_url": feed_url})


def privacy(request):
    return render(request, "participants/privacy.html")


@require_http_methods(["GET", "POST"])
def request_new_link(request):
    """ "My invitation link expired": ask for a fresh set-password link. The answer never says whether the address
    is enrolled; only enrolled addresses get a mail."""
    form = NewLinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.request_new_link(form.cleaned_data["email"])
        return redirect("participants:request_new_link_done")
    return render(request, "account/new_link.html", {"form": form})


def request_new_link_done(request):
    return render(request, "account/new_link_done.html")


def calendar_feed(request, token):
    """A private subscription address: the token stands in for a sign-in, so calendar apps can poll it. The
    calendar is in the participant's language (the app that polls it sends no useful one)."""
    participation = get_object_or_404(
        Participant.objects.select_related("cohort__workshop", "user"), calendar_token=token, is_active=True
    )
    occurrences = cohort_occurrences(participation.cohort, with_tasks=False)
    cohort = participation.cohort
    with override_for(participation.user, workshop=cohort.workshop):
        body = occurrences_calendar(occurrences, workshop_calendar_name(cohort.workshop, cohort))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=900"
    return response
