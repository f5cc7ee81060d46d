from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from common.text import CleanCharField

from .models import CLOSING_MAX_CHARS, COMMENT_MAX_CHARS, GeneratedReport


class ClosingTextForm(forms.Form):
    text = CleanCharField(
        multiline=True,
        label=_("Closing section"),
        required=False,
        max_length=CLOSING_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Conclusions and next steps, as the organizers write them. Blank lines separate paragraphs."),
    )


class GenerateForm(forms.Form):
    format = forms.ChoiceField(choices=GeneratedReport.Format.choices)
    # Absent: the reader's language (see the view); the choice list bounds it to the configured languages.
    language = forms.ChoiceField(choices=settings.LANGUAGES, required=False)
    include_names = forms.BooleanField(
        label=_("Name the participants in an annex"),
        required=False,
        help_text=_("Off by default: the report names no one. Only tick it for partners who may see names."),
    )


class CommentChoiceForm(forms.Form):
    question = forms.IntegerField(min_value=1)
    text = forms.CharField(max_length=COMMENT_MAX_CHARS, strip=False)
    chosen = forms.BooleanField(required=False)
