from allauth.account.adapter import DefaultAccountAdapter


class InvitationOnlyAccountAdapter(DefaultAccountAdapter):
    """Participants are invited by organizers; nobody signs up on their own."""

    def is_open_for_signup(self, request):
        return False

    def render_mail(self, template_prefix, email, context, headers=None):
        """allauth's mails (password reset) fold their Subject like every other mail of the portal."""
        from common.mail import portal_mail

        return portal_mail(super().render_mail(template_prefix, email, context, headers=headers))
