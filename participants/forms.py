import zoneinfo

from allauth.account.forms import AddEmailForm, ResetPasswordForm
from allauth.account.models import EmailAddress
from django import forms
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .models import User


def timezone_choices():
    caribbean_first = sorted(z for z in zoneinfo.available_timezones() if z.startswith(("America/", "Atlantic/")))
    others = sorted(z for z in zoneinfo.available_timezones() if z not in caribbean_first and "/" in z)
    return [("", gettext("My country's zone"))] + [(z, z.replace("_", " ")) for z in caribbean_first + others + ["UTC"]]


class ChangeEmailForm(AddEmailForm):
    """A new sign-in address: refused when another account uses it (instead of a server error later on)."""

    def clean_email(self):
        value = super().clean_email()
        if User.objects.filter(email__iexact=value).exclude(pk=self.user.pk).exists() or (
            EmailAddress.objects.filter(email__iexact=value, verified=True).exclude(user=self.user).exists()
        ):
            raise forms.ValidationError(
                _("This address cannot be used for your account. If it is yours, ask the organizers to change it.")
            )
        return value


class PasswordResetForm(ResetPasswordForm):
    """A reset link goes only to an account whose sign-in (or verified) address this is, never to an account that
    merely has a change to it pending."""

    def clean_email(self):
        value = super().clean_email()
        email = value.lower()
        proved = set(EmailAddress.objects.filter(email__iexact=email, verified=True).values_list("user_id", flat=True))
        self.users = [user for user in self.users if user.email.lower() == email or user.pk in proved]
        return value


class ProfileForm(forms.ModelForm):
    timezone = forms.ChoiceField(choices=timezone_choices, required=False, label=_("Time zone"))
    accept_privacy = forms.BooleanField(
        required=False,
        label=_("I have read and accept the privacy notice"),
    )

    class Meta:
        model = User
        fields = ["first_name", "last_name", "language", "timezone", "email_notifications"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["accept_privacy"].initial = bool(self.instance.privacy_accepted_at)
        self.fields["accept_privacy"].help_text = format_html(
            '<a href="{}">Read the privacy notice</a>: what the portal keeps about you and who sees it.',
            reverse("participants:privacy"),
        )


class NewLinkForm(forms.Form):
    """The address an invitation was sent to; a fresh set-password link goes there if it is enrolled."""

    email = forms.EmailField(
        label=_("Your e-mail address"),
        max_length=254,
        help_text=_("The address the invitation was sent to."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
