from allauth.account.views import EmailView
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

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


@login_required
@require_POST
def new_calendar_address(request):
    """The person's calendar address may have leaked: every old one of theirs stops working."""
    services.new_calendar_addresses(request.user.participations.all())
    messages.success(
        request,
        _("Your calendar has a new address; the old one no longer works. Subscribe again with the new one."),
    )
    return redirect(f"{reverse('profile')}#calendar")


def privacy(request):
    return render(request, "participants/privacy.html")


class ChangeEmailView(EmailView):
    """allauth's address page, where a new sign-in address takes effect only through the link mailed to it."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            services.record_sign_in_address(request.user)
        return super().dispatch(request, *args, **kwargs)

    def _action_primary(self, request, *args, **kwargs):
        address = self._get_email_address(request)
        if address is not None and not address.verified:
            messages.error(
                request,
                _("%(email)s becomes your sign-in address once you follow the link we sent to it.")
                % {"email": address.email},
            )
            return None
        return super()._action_primary(request, *args, **kwargs)


change_email = ChangeEmailView.as_view()
