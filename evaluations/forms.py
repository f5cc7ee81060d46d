from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Fieldset, Layout
from django import forms
from django.utils.html import format_html

from common.text import CleanCharField

from .models import RATING_MIN, FormQuestion, QuestionKind


class AnswerForm(forms.Form):
    """The questions of one evaluation form as a Django form, one field per question (named by its key)."""

    def __init__(self, questions: list[FormQuestion], *args, disabled: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            self.fields[question.key] = self._field(question, disabled)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(*self._sections())

    @staticmethod
    def _field(question: FormQuestion, disabled: bool) -> forms.Field:
        common = {
            "label": question.text,
            "help_text": question.help_text,
            "required": question.required,
            "disabled": disabled,
        }
        if question.kind == QuestionKind.RATING:
            choices = [
                (str(value), f"{value} · {label}") for value, label in enumerate(question.labels, start=RATING_MIN)
            ]
            return forms.ChoiceField(choices=choices, widget=forms.RadioSelect(attrs={"class": "rating"}), **common)
        if question.kind == QuestionKind.SINGLE:
            return forms.ChoiceField(choices=[(c, c) for c in question.choices], widget=forms.RadioSelect, **common)
        if question.kind == QuestionKind.MULTIPLE:
            return forms.MultipleChoiceField(
                choices=[(c, c) for c in question.choices], widget=forms.CheckboxSelectMultiple, **common
            )
        return CleanCharField(
            multiline=True,
            max_length=5000,
            widget=forms.Textarea(attrs={"rows": 4, "maxlength": 5000}),
            strip=True,
            **common,
        )

    def _sections(self):
        sections: list[tuple[str, str, list[str]]] = []
        for question in self.questions:
            if not sections or sections[-1][0] != question.section_title:
                sections.append((question.section_title, question.section_intro, []))
            sections[-1][2].append(question.key)
        layout = []
        for title, intro, keys in sections:
            parts = [HTML(format_html('<p class="text-body-secondary small">{}</p>', intro))] if intro else []
            layout.append(Fieldset(title, *parts, *keys, css_class="evaluation-section mb-3"))
        return layout
