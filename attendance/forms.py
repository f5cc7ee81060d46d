from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from common.forms import SheetForm, form_helper
from common.text import CleanCharField

from .attendee_report import MAX_REPORT_BYTES
from .models import Attendance


class AttendanceForm(SheetForm):
    choices = [*Attendance.Status.choices, ("", _("Not taken"))]


class AttendeeReportForm(forms.Form):
    report = forms.FileField(
        label=_("Attendee report (CSV)"),
        help_text=_("The meeting platform's export with an e-mail column and a minutes or duration column."),
    )
    mark_missing_absent = forms.BooleanField(
        label=_("Mark participants who are not in the report as absent"), required=False, initial=True
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper()

    def clean_report(self):
        upload = self.cleaned_data["report"]
        if upload.size > MAX_REPORT_BYTES:
            raise forms.ValidationError(_("The file is larger than 2 MB; an attendee report is much smaller."))
        return upload


class VerifyForm(forms.Form):
    code = CleanCharField(
        label=_("Verification code"),
        max_length=40,
        widget=forms.TextInput(
            attrs={"placeholder": pgettext_lazy("placeholder: the shape of a certificate code", "XXXX-XXXX-XXXX")}
        ),
    )
