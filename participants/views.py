from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse

from . import services
from .forms import ProfileForm


@login_required
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        services.update_profile(request.user, **form.cleaned_data)
        messages.success(request, "Your profile is saved. Times are now shown in your chosen zone.")
        return redirect("profile")
    feed_url = None
    if request.participation is not None:
        feed_url = request.build_absolute_uri(reverse("calendar_feed", args=[request.participation.calendar_token]))
    return render(request, "participants/profile.html", {"form": form, "feed_url": feed_url})


def privacy(request):
    return render(request, "participants/privacy.html")
