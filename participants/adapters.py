from allauth.account.adapter import DefaultAccountAdapter


class InvitationOnlyAccountAdapter(DefaultAccountAdapter):
    """Participants are invited by organizers; nobody signs up on their own."""

    def is_open_for_signup(self, request):
        return False
