from django import forms
from django.utils.translation import gettext_lazy as _

from common.text import CleanCharField

from .models import Action, ActionStatus, NdpPriority, Sdg, ServiceQuality, TimeFrame


class SdgChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.number} · {obj.short_name}"


class SdgsField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj):
        return f"{obj.number} · {obj.short_name}"


class SdgChoiceForm(forms.Form):
    sdg = SdgChoiceField(
        queryset=Sdg.objects.order_by("number"),
        label=_("The SDG you chose"),
        empty_label=_("Choose one of the 17 SDGs…"),
        error_messages={"required": _("Choose one of the 17 SDGs.")},
    )
    note = CleanCharField(
        multiline=True,
        label=_("Your one-minute note"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=4000,
        help_text=_(
            "How does public service delivery relate to this SDG? About 150 words: what you will say in "
            "your one minute."
        ),
        error_messages={
            "required": _("Write your one-minute note: how does public service delivery relate to this SDG?")
        },
    )


class PriorityForm(forms.Form):
    title = CleanCharField(
        label=_("Priority of your National Development Plan"),
        max_length=200,
        error_messages={"required": _("Name the priority.")},
    )
    sdgs = SdgsField(
        queryset=Sdg.objects.order_by("number"),
        label=_("SDGs it serves"),
        error_messages={"required": _("Choose at least one SDG that this priority serves.")},
    )
    digital_contribution = CleanCharField(
        multiline=True,
        label=_("How innovation and digital transformation can help achieve it"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        error_messages={"required": _("Say how innovation and digital transformation can help achieve this priority.")},
    )

    @classmethod
    def for_priority(cls, priority: NdpPriority, *args, **kwargs):
        initial = {
            "title": priority.title,
            "sdgs": [s.pk for s in priority.sdgs.all()],
            "digital_contribution": priority.digital_contribution,
        }
        return cls(*args, initial=initial, prefix=f"p{priority.pk}", **kwargs)


class DimensionField(forms.TypedChoiceField):
    """The DTCA dimensions, the team's weakest first under their own heading, marked as suggested."""

    def __init__(self, *, choices_for, **kwargs):
        self.by_pk = {d.pk: d for d in choices_for.all}
        groups = [("", _("Choose the dimension this action strengthens…"))]
        if choices_for.suggested:
            groups.append(
                (
                    _("Suggested: your team's weakest dimensions in the DTCA"),
                    [(d.pk, _("%(name)s (suggested)") % {"name": d.name}) for d in choices_for.suggested],
                )
            )
        if choices_for.others:
            label = _("Other dimensions") if choices_for.suggested else _("Dimensions of the DTCA")
            groups.append((label, [(d.pk, d.name) for d in choices_for.others]))
        super().__init__(choices=groups, coerce=int, empty_value=None, **kwargs)

    def clean(self, value):
        pk = super().clean(value)
        return self.by_pk.get(pk) if pk is not None else None


def priority_label(priority: NdpPriority) -> str:
    numbers = ", ".join(str(s.number) for s in priority.sdgs.all())
    if not numbers:
        return priority.title
    return _("%(title)s (SDG %(numbers)s)") % {"title": priority.title, "numbers": numbers}


class PriorityChoiceField(forms.ModelChoiceField):
    def __init__(self, *args, labels: dict[int, str], **kwargs):
        self.labels = labels
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj):
        # Labels come from the priorities already read with their SDGs, not from a query per option.
        return self.labels.get(obj.pk, obj.title)


class ActionForm(forms.ModelForm):
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = Action
        fields = [
            "title",
            "dimension",
            "sdgs",
            "priority",
            "qualities",
            "owner",
            "first_step",
            "time_frame",
            "obstacles",
            "overcoming",
            "status",
            "progress_note",
        ]
        widgets = {
            "first_step": forms.Textarea(attrs={"rows": 2}),
            "obstacles": forms.Textarea(attrs={"rows": 3}),
            "overcoming": forms.Textarea(attrs={"rows": 3}),
            "progress_note": forms.Textarea(attrs={"rows": 2}),
            "time_frame": forms.RadioSelect,
        }
        labels = {
            "title": _("Title"),
            "owner": _("Owner (institution)"),
            "first_step": _("First step"),
            "time_frame": _("Time frame"),
            "obstacles": _("Obstacles"),
            "overcoming": _("How to overcome them"),
            "status": _("Status"),
            "progress_note": _("Progress note"),
        }
        help_texts = {
            "title": _("What will be done, in a few words, e.g. “Open an online service for birth certificates”."),
            "owner": _("The ministry or agency that leads it."),
            "first_step": _("The very next thing someone will do, and who."),
            "obstacles": _("What could stop it: people, money, law, technology, habits…"),
            "overcoming": _("How you will get past those obstacles."),
        }

    def __init__(self, *args, dimensions, priorities, **kwargs):
        super().__init__(*args, **kwargs)
        self.dimension_choices = dimensions
        current = self.instance.dimension_id if self.instance.pk else None
        self.fields["dimension"] = DimensionField(
            choices_for=dimensions,
            label=_("DTCA dimension it strengthens"),
            initial=current,
            help_text=_("Your team's weakest dimensions in the DTCA come first, marked “suggested”.")
            if dimensions.suggested
            else _("Once your team has submitted its DTCA, its weakest dimensions come first here."),
            error_messages={"required": _("Name the DTCA dimension this action strengthens.")},
        )
        self.fields["sdgs"] = SdgsField(
            queryset=Sdg.objects.order_by("number"), label=_("SDGs it serves"), required=False
        )
        self.fields["priority"] = PriorityChoiceField(
            queryset=NdpPriority.objects.filter(pk__in=[p.pk for p in priorities]).order_by("position"),
            labels={p.pk: priority_label(p) for p in priorities},
            required=False,
            label=_("NDP priority it serves"),
            empty_label=_("None of our priorities") if priorities else _("Your team has not listed priorities"),
            help_text=_("One of your team's National Development Plan priorities."),
        )
        self.fields["qualities"] = forms.ModelMultipleChoiceField(
            queryset=ServiceQuality.objects.order_by("order", "pk"),
            widget=forms.CheckboxSelectMultiple,
            required=False,
            label=_("Public-service quality it improves"),
        )
        self.fields["time_frame"].choices = TimeFrame.choices
        self.fields["status"].choices = ActionStatus.choices
        self.fields["title"].error_messages["required"] = _("Give the action a title.")
        self.fields["version"].initial = self.instance.version if self.instance.pk else None

    def action_fields(self) -> dict:
        data = self.cleaned_data
        return {
            name: data[name]
            for name in (
                "title",
                "dimension",
                "priority",
                "owner",
                "first_step",
                "time_frame",
                "obstacles",
                "overcoming",
                "status",
                "progress_note",
            )
        }


class ProgressForm(forms.Form):
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)
    status = forms.ChoiceField(choices=ActionStatus.choices, label=_("Status now"))
    note = CleanCharField(
        multiline=True,
        label=_("Progress note"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What has happened since the last update? Kept in the action's history."),
    )
