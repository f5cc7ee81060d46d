from django import forms

from common.forms import SheetForm, form_helper
from common.text import TEXT_MAX, CleanCharField

from .breakout import CountryRule
from .models import IDEA_MAX_LENGTH, STATEMENT_MAX_LENGTH, DebateSide, Poll


class DebateSidesForm(SheetForm):
    choices = [*DebateSide.Side.choices, ("", "No side")]


class DrawForm(forms.Form):
    SPLIT_ROOMS, SPLIT_SIZE = "rooms", "size"
    split = forms.ChoiceField(
        label="Split by",
        choices=[(SPLIT_ROOMS, "Number of rooms"), (SPLIT_SIZE, "People per room")],
        initial=SPLIT_ROOMS,
        widget=forms.RadioSelect,
    )
    rooms = forms.IntegerField(label="Rooms", min_value=1, max_value=50, required=False)
    room_size = forms.IntegerField(label="People per room", min_value=2, max_value=50, required=False)
    country_rule = forms.ChoiceField(
        label="Countries",
        choices=[
            (CountryRule.MIX.value, "Mixed at random"),
            (CountryRule.APART.value, "Keep a country's participants apart"),
            (CountryRule.TOGETHER.value, "Keep a country's participants together"),
        ],
        initial=CountryRule.MIX.value,
    )
    avoid_repeat_pairs = forms.BooleanField(
        label="Avoid pairs who already met in earlier published draws of this group", required=False, initial=True
    )
    seed = forms.IntegerField(
        label="Seed (optional)",
        min_value=1,
        max_value=2**31 - 1,
        required=False,
        help_text="Leave empty for a new random draw; the seed of an earlier draw repeats it for the same people.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper()

    def clean(self):
        data = super().clean()
        if data.get("split") == self.SPLIT_SIZE:
            if not data.get("room_size"):
                self.add_error("room_size", "Say how many people per room.")
            data["rooms"] = None
        else:
            if not data.get("rooms"):
                self.add_error("rooms", "Say how many rooms.")
            data["room_size"] = None
        return data


class PollForm(forms.Form):
    question = CleanCharField(max_length=300)
    kind = forms.ChoiceField(choices=Poll.Kind.choices, initial=Poll.Kind.SINGLE)
    max_choices = forms.IntegerField(
        label="At most (multiple choice)",
        min_value=2,
        max_value=20,
        required=False,
        help_text="Leave empty to allow every option.",
    )
    options = CleanCharField(
        multiline=True, max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 6}), help_text="One option per line."
    )
    agenda_item = forms.ModelChoiceField(queryset=None, required=False, label="Agenda item")

    def __init__(self, *args, session, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agenda_item"].queryset = session.agenda_items.order_by("offset_minutes")
        self.fields["agenda_item"].label_from_instance = lambda item: f"+{item.offset_minutes} min · {item.title}"
        self.helper = form_helper()

    def option_list(self) -> list[str]:
        return [line for line in self.cleaned_data["options"].splitlines() if line.strip()]


class VoteForm(forms.Form):
    def __init__(self, *args, poll: Poll, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(option.pk, option.text) for option in poll.options.all()]
        if poll.is_multiple:
            help_text = f"Choose up to {poll.max_choices}." if poll.max_choices else "Choose all that apply."
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
        self.helper = form_helper()

    def option_ids(self) -> list[int]:
        value = self.cleaned_data["options"]
        return list(value) if isinstance(value, list) else [value]


class StartForm(forms.Form):
    """Starting a board (its prompt) or a debate (its motion), prefilled from the agenda."""

    text = CleanCharField(multiline=True, max_length=500, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, label: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].label = label
        self.helper = form_helper()


class IdeaForm(forms.Form):
    text = CleanCharField(
        multiline=True,
        label="Your idea",
        max_length=IDEA_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": IDEA_MAX_LENGTH}),
        help_text=f"Short and concrete: up to {IDEA_MAX_LENGTH} characters. Post as many ideas as you like.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper()


class HeadingForm(forms.Form):
    title = CleanCharField(label="New heading", max_length=120)


class StatementForm(forms.Form):
    text = CleanCharField(
        multiline=True,
        label="Your closing statement",
        required=False,
        max_length=STATEMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": STATEMENT_MAX_LENGTH}),
        help_text=f"Up to {STATEMENT_MAX_LENGTH} characters. You can change it while statements are open.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper()


class KeyMessagesForm(forms.Form):
    text = CleanCharField(
        multiline=True,
        label="Key messages",
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="One message per line. The group sees them on its session page; empty removes them.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper()
