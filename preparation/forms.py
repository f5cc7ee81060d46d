from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from common.text import CleanCharField
from common.validators import validate_web_url
from sessions_app.models import PreparationTask

from . import files

Deliverable = PreparationTask.Deliverable


def effective_deliverable(task: PreparationTask) -> str:
    """The assessment is answered in its own app, which marks the task done; it has nothing to hand in here."""
    if task.kind == PreparationTask.Kind.ASSESSMENT:
        return Deliverable.NONE
    return task.deliverable


class SubmissionForm(forms.Form):
    """The one field a task asks for: a text, a link, a file, or nothing (mark as done)."""

    team = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, task: PreparationTask, initial_text: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.task = task
        deliverable = effective_deliverable(task)
        if deliverable == Deliverable.TEXT:
            label = _("Your notes") if task.is_private else _("Your text")
            self.fields["text"] = CleanCharField(
                multiline=True,
                label=label,
                widget=forms.Textarea(attrs={"rows": 8}),
                max_length=20000,
                initial=initial_text,
                required=False,  # an empty text gets our own message, not the generic one
                help_text=_("Submitting again keeps this version and adds a new one."),
            )
        elif deliverable == Deliverable.LINK:
            self.fields["link"] = forms.URLField(
                label=_("Address of your work"),
                max_length=500,
                required=False,
                assume_scheme="https",
                validators=[validate_web_url],
                help_text=_("A shared document or folder that the facilitators can open."),
            )
        elif deliverable == Deliverable.FILE:
            self.fields["upload"] = forms.FileField(
                label=_("File"),
                required=False,
                widget=forms.ClearableFileInput(attrs={"accept": files.ACCEPT_ATTRIBUTE}),
                help_text=_("%(allowed)s, at most 20 MB.") % {"allowed": files.allowed_list()},
            )
        # Bootstrap's look set here once, so that the page renders the one field without crispy's per-field
        # templates (My preparation shows a form per task; crispy took 0.81 ms a form, this 0.45 ms).
        for field in self.fields.values():
            if not field.widget.is_hidden:
                kind = type(field.widget).__name__.lower()
                field.widget.attrs["class"] = f"{kind} form-control"

    def _post_clean(self):
        super()._post_clean()
        for name in self.errors:
            if name in self.fields and not self.fields[name].widget.is_hidden:
                attrs = self.fields[name].widget.attrs
                attrs["class"] = attrs.get("class", "") + " is-invalid"
                described = f"{self[name].auto_id}_helptext " if self.fields[name].help_text else ""
                attrs["aria-describedby"] = f"{described}{self[name].auto_id}_error"

    def clean_text(self):
        text = (self.cleaned_data.get("text") or "").strip()
        if not text:
            raise ValidationError(_("The text is empty: write something before you submit. Nothing was saved."))
        return text

    def clean_link(self):
        link = self.cleaned_data.get("link") or ""
        if not link:
            raise ValidationError(_("The link is empty: paste the address of your work. Nothing was saved."))
        return link

    def clean_upload(self):
        upload = self.cleaned_data.get("upload")
        if not upload:
            raise ValidationError(
                _("Choose a file to upload (%(allowed)s). Nothing was saved.") % {"allowed": files.allowed_list()}
            )
        files.check_upload(upload)
        return upload
