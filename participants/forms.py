import zoneinfo

from django import forms

from .models import User


def timezone_choices():
    caribbean_first = sorted(z for z in zoneinfo.available_timezones() if z.startswith(("America/", "Atlantic/")))
    others = sorted(z for z in zoneinfo.available_timezones() if z not in caribbean_first and "/" in z)
    return [("", "My country's zone")] + [(z, z.replace("_", " ")) for z in caribbean_first + others + ["UTC"]]


class ProfileForm(forms.ModelForm):
    timezone = forms.ChoiceField(choices=timezone_choices, required=False, label="Time zone")

    class Meta:
        model = User
        fields = ["first_name", "last_name", "timezone"]
