from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Fieldset, Layout
from django import forms
from django.utils.html import format_html
from django.utils.translation import gettext

from common.text import CleanCharField
from common.translations import language_name, translated, translated_list

from .models import RATING_MIN, FormQuestion, QuestionKind


class AnswerForm(forms.Form):
    """The questions of one evaluation form as a Django form, one field per question (named by its key)."""

    def __init__(self, questions: list[FormQuestion], *args, disabled: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        # Languages whose original text is shown for want of a translation (the page says so once).
        self.fallback_languages: set[str] = set()
        for question in questions:
            self.fields[question.key] = self._field(question, disabled)
            text = translated(question, "text")
            if text.fell_back:
                self.fallback_languages.add(text.language)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(*self._sections())

    @property
    def fallback_note(self) -> str:
        """Said once above the questions when some are shown in the original language."""
        if not self.fallback_languages:
            return ""
        names = ", ".join(sorted(language_name(code) for code in self.fallback_languages))
        return gettext("Questions without a translation are shown in %(languages)s.") % {"languages": names}

    @staticmethod
    def _field(question: FormQuestion, disabled: bool) -> forms.Field:
        # Shown in the reader's language where the snapshot has a translation; the values stay the original
        # options (and 1–5), so answers given in any language are counted together.
        common = {
            "label": translated(question, "text"),
            "help_text": translated(question, "help_text"),
            "required": question.required,
            "disabled": disabled,
        }
        if question.kind == QuestionKind.RATING:
            labels = translated_list(question, "scale_labels") if question.scale_labels else question.labels
            choices = [(str(value), f"{value} · {label}") for value, label in enumerate(labels, start=RATING_MIN)]
            return forms.ChoiceField(choices=choices, widget=forms.RadioSelect(attrs={"class": "rating"}), **common)
        if question.kind == QuestionKind.SINGLE:
            return forms.ChoiceField(choices=_options(question), widget=forms.RadioSelect, **common)
        if question.kind == QuestionKind.MULTIPLE:
            return forms.MultipleChoiceField(choices=_options(question), widget=forms.CheckboxSelectMultiple, **common)
        return CleanCharField(
            multiline=True,
            max_length=5000,
            widget=forms.Textarea(attrs={"rows": 4, "maxlength": 5000}),
            strip=True,
            **common,
        )

    def _sections(self):
        sections: list[tuple[str, str, str, list[str]]] = []
        for question in self.questions:
            if not sections or sections[-1][0] != question.section_title:
                title, intro = translated(question, "section_title"), translated(question, "section_intro")
                sections.append((question.section_title, title, intro, []))
            sections[-1][3].append(question.key)
        layout = []
        for _original, title, intro, keys in sections:
            parts = [HTML(format_html('<p class="text-body-secondary small">{}</p>', intro))] if intro else []
            layout.append(Fieldset(title, *parts, *keys, css_class="evaluation-section mb-3"))
        return layout


def _options(question: FormQuestion) -> list[tuple[str, str]]:
    """(stored value, label): the value is the original option, the label the reader's language's."""
    return list(zip(question.choices, translated_list(question, "choices"), strict=True))
