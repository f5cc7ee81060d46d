from django import forms
from django.utils.translation import gettext_lazy as _

from preparation.files import ACCEPT_ATTRIBUTE, allowed_list

from .models import MAX_MOTIVATION, Nomination

FIELDS = ["first_name", "last_name", "email", "institution", "position", "seniority", "gender", "motivation"]


class NominationForm(forms.ModelForm):
    cv = forms.FileField(
        label=_("CV (optional)"),
        required=False,
        help_text=_("A document: %(types)s, at most 20 MB.") % {"types": allowed_list()},
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_ATTRIBUTE}),
    )

    class Meta:
        model = Nomination
        fields = [*FIELDS, "rank"]
        widgets = {
            "motivation": forms.Textarea(attrs={"rows": 4, "maxlength": MAX_MOTIVATION}),
            "rank": forms.NumberInput(attrs={"min": 1, "max": 100}),
        }
        help_texts = {"rank": _("Your order of preference: 1 is your first choice. Optional.")}

    def __init__(self, *args, call=None, **kwargs):
        super().__init__(*args, **kwargs)
        if call is not None:
            required = call.required_fields()
            for name in ("institution", "position", "seniority", "gender", "motivation", "cv"):
                self.fields[name].required = name in required
            if "cv" in required:
                self.fields["cv"].label = _("CV")
        self.fields["gender"].help_text = _("Used only to balance the groups and report on them. Optional.")

    def _post_clean(self):
        # The service checks the model (deadline, duplicates, constraints) and says what is wrong.
        pass

    def data_for_service(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in [*FIELDS, "rank"] if name in self.cleaned_data}


class PublicApplicationForm(NominationForm):
    country = forms.ModelChoiceField(queryset=None, label=_("Country"))

    class Meta(NominationForm.Meta):
        fields = FIELDS

    def __init__(self, *args, call=None, **kwargs):
        super().__init__(*args, call=call, **kwargs)
        self.fields["country"].queryset = call.countries.order_by("name")
        self.order_fields(["country", *FIELDS, "cv"])


class DecisionForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (Nomination.Status.ACCEPTED, _("Accept")),
            (Nomination.Status.WAITLISTED, _("Waitlist")),
            (Nomination.Status.DECLINED, _("Decline")),
            (Nomination.Status.NOMINATED, _("Undecided")),
        ],
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)
    override = forms.BooleanField(label=_("Override the seats"), required=False)


class NominatorInviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    country = forms.ModelChoiceField(queryset=None, label=_("Country"))

    def __init__(self, *args, call=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].queryset = call.countries.order_by("name")


class SeedForm(forms.Form):
    seed = forms.IntegerField(label=_("Seed"), min_value=0, max_value=10**9, initial=1)


class CourtesyForm(forms.Form):
    intro = forms.CharField(
        label=_("A sentence of your own (optional)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
