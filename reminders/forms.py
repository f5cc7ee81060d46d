from django import forms
from django.utils.translation import gettext_lazy as _

from common.text import CleanCharField
from sessions_app.models import PreparationTask


class OneOffMessageForm(forms.Form):
    task = forms.ModelChoiceField(
        queryset=PreparationTask.objects.none(), help_text=_("Sent to those who have not done it.")
    )
    subject = CleanCharField(max_length=200)
    body = CleanCharField(multiline=True, widget=forms.Textarea(attrs={"rows": 6}), max_length=5000)

    def __init__(self, *args, workshop, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["task"].queryset = PreparationTask.objects.filter(session__workshop=workshop).select_related(
            "session"
        )
        self.fields["task"].label_from_instance = lambda task: (
            _("Session %(number)s: %(title)s")
            % {
                "number": task.session.number,
                "title": task.title,
            }
        )
