"""Form pieces every app's forms share."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from django import forms


def form_helper(*, tag=False) -> FormHelper:
    """A crispy helper for a form rendered inside the page's own <form> (no tag, no second CSRF token)."""
    helper = FormHelper()
    helper.form_tag = tag
    helper.disable_csrf = True
    return helper


class SheetForm(forms.Form):
    """One choice per participant of the group, named ``p<pk>``: a whole group in one form."""

    choices: list[tuple[str, str]] = []

    def __init__(self, *args, participants, initial_values: dict[int, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.participants = participants
        for participant in participants:
            self.fields[f"p{participant.pk}"] = forms.ChoiceField(
                choices=self.choices,
                required=False,
                initial=initial_values.get(participant.pk, ""),
                widget=forms.RadioSelect,
                label=str(participant.user),
            )

    def values(self) -> dict[int, str]:
        return {p.pk: self.cleaned_data.get(f"p{p.pk}") or "" for p in self.participants}

    def rows(self):
        """(participant, bound field) pairs for a table: one row per person."""
        return [(p, self[f"p{p.pk}"]) for p in self.participants]
