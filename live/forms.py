from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy, pgettext_lazy

from common.text import TEXT_MAX, CleanCharField

from .attendee_report import MAX_REPORT_BYTES
from .breakout import CountryRule
from .models import IDEA_MAX_LENGTH, STATEMENT_MAX_LENGTH, Attendance, DebateSide, Poll


def _helper(*, tag=False) -> FormHelper:
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


class AttendanceForm(SheetForm):
    choices = [*Attendance.Status.choices, ("", _("Not taken"))]


class DebateSidesForm(SheetForm):
    choices = [*DebateSide.Side.choices, ("", _("No side"))]


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
        self.helper = _helper()

    def clean_report(self):
        upload = self.cleaned_data["report"]
        if upload.size > MAX_REPORT_BYTES:
            raise forms.ValidationError(_("The file is larger than 2 MB; an attendee report is much smaller."))
        return upload


class DrawForm(forms.Form):
    SPLIT_ROOMS, SPLIT_SIZE = "rooms", "size"
    split = forms.ChoiceField(
        label=_("Split by"),
        choices=[(SPLIT_ROOMS, _("Number of rooms")), (SPLIT_SIZE, _("People per room"))],
        initial=SPLIT_ROOMS,
        widget=forms.RadioSelect,
    )
    rooms = forms.IntegerField(label=_("Rooms"), min_value=1, max_value=50, required=False)
    room_size = forms.IntegerField(label=_("People per room"), min_value=2, max_value=50, required=False)
    country_rule = forms.ChoiceField(
        label=_("Countries"),
        choices=[
            (CountryRule.MIX.value, _("Mixed at random")),
            (CountryRule.APART.value, _("Keep a country's participants apart")),
            (CountryRule.TOGETHER.value, _("Keep a country's participants together")),
        ],
        initial=CountryRule.MIX.value,
    )
    avoid_repeat_pairs = forms.BooleanField(
        label=_("Avoid pairs who already met in earlier published draws of this group"), required=False, initial=True
    )
    seed = forms.IntegerField(
        label=_("Seed (optional)"),
        min_value=1,
        max_value=2**31 - 1,
        required=False,
        help_text=_("Leave empty for a new random draw; the seed of an earlier draw repeats it for the same people."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()

    def clean(self):
        data = super().clean()
        if data.get("split") == self.SPLIT_SIZE:
            if not data.get("room_size"):
                self.add_error("room_size", _("Say how many people per room."))
            data["rooms"] = None
        else:
            if not data.get("rooms"):
                self.add_error("rooms", _("Say how many rooms."))
            data["room_size"] = None
        return data


class PollForm(forms.Form):
    question = CleanCharField(label=_("Question"), max_length=300)
    kind = forms.ChoiceField(label=_("Kind"), choices=Poll.Kind.choices, initial=Poll.Kind.SINGLE)
    max_choices = forms.IntegerField(
        label=_("At most (multiple choice)"),
        min_value=2,
        max_value=20,
        required=False,
        help_text=_("Leave empty to allow every option."),
    )
    options = CleanCharField(
        multiline=True,
        label=_("Options"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("One option per line."),
    )
    agenda_item = forms.ModelChoiceField(queryset=None, required=False, label=_("Agenda item"))

    def __init__(self, *args, session, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agenda_item"].queryset = session.agenda_items.order_by("offset_minutes")
        self.fields["agenda_item"].label_from_instance = lambda item: (
            _("+%(minutes)s min · %(title)s")
            % {
                "minutes": item.offset_minutes,
                "title": item.title,
            }
        )
        self.helper = _helper()

    def option_list(self) -> list[str]:
        return [line for line in self.cleaned_data["options"].splitlines() if line.strip()]


class VoteForm(forms.Form):
    def __init__(self, *args, poll: Poll, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(option.pk, option.text) for option in poll.options.all()]
        if poll.is_multiple:
            if poll.max_choices:
                help_text = _("Choose up to %(most)s.") % {"most": poll.max_choices}
            else:
                help_text = _("Choose all that apply.")
            self.fields["options"] = forms.TypedMultipleChoiceField(
                choices=choices,
                coerce=int,
                widget=forms.CheckboxSelectMultiple,
                label=poll.question,
                help_text=help_text,
            )
        else:
            self.fields["options"] = forms.TypedChoiceField(
                choices=choices, coerce=int, widget=forms.RadioSelect, label=poll.question
            )
        self.helper = _helper()

    def option_ids(self) -> list[int]:
        value = self.cleaned_data["options"]
        return list(value) if isinstance(value, list) else [value]


class StartForm(forms.Form):
    """Starting a board (its prompt) or a debate (its motion), prefilled from the agenda."""

    text = CleanCharField(multiline=True, max_length=500, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, label: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].label = label
        self.helper = _helper()


class IdeaForm(forms.Form):
    text = CleanCharField(
        multiline=True,
        label=_("Your idea"),
        max_length=IDEA_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": IDEA_MAX_LENGTH}),
        help_text=ngettext_lazy(
            "Short and concrete: up to %(most)d character. Post as many ideas as you like.",
            "Short and concrete: up to %(most)d characters. Post as many ideas as you like.",
            "most",
        )
        % {"most": IDEA_MAX_LENGTH},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class HeadingForm(forms.Form):
    title = CleanCharField(label=_("New heading"), max_length=120)


class StatementForm(forms.Form):
    text = CleanCharField(
        multiline=True,
        label=_("Your closing statement"),
        required=False,
        max_length=STATEMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": STATEMENT_MAX_LENGTH}),
        help_text=ngettext_lazy(
            "Up to %(most)d character. You can change it while statements are open.",
            "Up to %(most)d characters. You can change it while statements are open.",
            "most",
        )
        % {"most": STATEMENT_MAX_LENGTH},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class KeyMessagesForm(forms.Form):
    text = CleanCharField(
        multiline=True,
        label=_("Key messages"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("One message per line. The group sees them on its session page; empty removes them."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class VerifyForm(forms.Form):
    code = CleanCharField(
        label=_("Verification code"),
        max_length=40,
        widget=forms.TextInput(
            attrs={"placeholder": pgettext_lazy("placeholder: the shape of a certificate code", "XXXX-XXXX-XXXX")}
        ),
    )
