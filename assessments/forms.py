from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from common.text import NOTE_MAX, CleanCharField

from .models import DONT_KNOW, Confidence
from .services import AnswerInput


def answer_prefix(statement) -> str:
    return f"s{statement.pk}"


class AnswerForm(forms.Form):
    """One statement's answer. Every field is optional: a draft may be partly filled in."""

    value = forms.ChoiceField(required=False, widget=forms.RadioSelect(attrs={"class": "btn-check"}))
    confidence = forms.ChoiceField(
        required=False,
        choices=Confidence.choices,
        widget=forms.RadioSelect(attrs={"class": "btn-check"}),
        label=_("How confident are you?"),
    )
    note = CleanCharField(
        multiline=True,
        required=False,
        max_length=NOTE_MAX,
        label=_("Evidence (optional)"),
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": _("A law, a strategy, a project, a figure…")}),
    )

    def __init__(self, *args, statement, structure, **kwargs):
        kwargs.setdefault("prefix", answer_prefix(statement))
        super().__init__(*args, **kwargs)
        self.statement = statement
        self.fields["value"].choices = [(str(level.value), str(level.value)) for level in structure.scale] + [
            (DONT_KNOW, structure.instrument.dont_know_label)
        ]
        self.fields["value"].label = statement.text
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    @classmethod
    def initial_for(cls, answer) -> dict:
        if answer is None:
            return {}
        return {"value": answer.value, "confidence": answer.confidence, "note": answer.note}

    def answer_input(self) -> AnswerInput:
        data = self.cleaned_data
        return AnswerInput(value=data["value"], confidence=data["confidence"], note=data["note"])


def answer_forms(structure, statements, answers: dict, data=None) -> list[AnswerForm]:
    """A form per statement. With POST data, only the statements the page posted are bound (and saved):
    a page showing some statements must never clear the answers it did not show."""
    forms = []
    for statement in statements:
        prefix = answer_prefix(statement)
        posted = data is not None and f"{prefix}-note" in data
        forms.append(
            AnswerForm(
                data if posted else None,
                statement=statement,
                structure=structure,
                initial=AnswerForm.initial_for(answers.get(statement.pk)),
            )
        )
    return forms


def posted_answers(forms) -> tuple[dict, bool]:
    """The valid answers among the bound forms, keyed by statement id, and whether all bound forms were valid."""
    bound = [form for form in forms if form.is_bound]
    valid = {form.statement.pk: form.answer_input() for form in bound if form.is_valid()}
    return valid, len(valid) == len(bound)
