"""Account pages that guard the person's sign-in address and private calendar address."""

from allauth.account.views import EmailView
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import services


@login_required
@require_POST
def new_calendar_address(request):
    """The person's calendar address may have leaked: every old one of theirs stops working."""
    services.new_calendar_addresses(request.user.participations.all())
    messages.success(
        request,
        _("Your calendar has a new address; the old one no longer works. Subscribe again with the new one."),
    )
    return redirect(f"{reverse('participants:profile')}#calendar")


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
