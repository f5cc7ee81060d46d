from allauth.account.adapter import DefaultAccountAdapter
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from common.http import client_ip


class InvitationOnlyAccountAdapter(DefaultAccountAdapter):
    """Participants are invited by organizers; nobody signs up on their own."""

    def get_client_ip(self, request) -> str:
        ip = client_ip(request)
        if not ip:
            raise PermissionDenied("Unable to determine the client's address.")
        return ip

    def confirm_email(self, request, email_address) -> bool:
        """A new sign-in address is confirmed by the account holder, signed in, and only while it is free.

        The link proves the mailbox; being signed in proves the account. Someone who merely receives the mail
        (say, a future invitee whose address another person typed in) cannot attach their address to that
        account by clicking it.
        """
        from .models import User

        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or user.pk != email_address.user_id:
            messages.error(
                request,
                _(
                    "This link changes the sign-in address of an account: sign in to that account first, then "
                    "follow the link again. If you did not ask for this change, ignore the message."
                ),
            )
            return False
        if User.objects.filter(email__iexact=email_address.email).exclude(pk=email_address.user_id).exists():
            messages.error(
                request,
                _("%(email)s is already used by another account; ask the organizers.") % {"email": email_address.email},
            )
            return False
        return super().confirm_email(request, email_address)

    def is_open_for_signup(self, request):
        return False

    def render_mail(self, template_prefix, email, context, headers=None):
        """allauth's mails (password reset) fold their Subject like every other mail of the portal."""
        from common.mail import portal_mail

        return portal_mail(super().render_mail(template_prefix, email, context, headers=headers))
