from django import forms
from django.contrib import admin, messages
from django.shortcuts import render
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from participants.models import Participant
from sessions_app.models import Cohort

from . import selectors, services
from .models import Delivery, OneOffMessage, ReminderRule


class ChooseGroupForm(forms.Form):
    cohort = forms.ModelChoiceField(queryset=Cohort.objects.none(), label=_("Group"))

    def __init__(self, *args, workshop, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cohort"].queryset = Cohort.objects.filter(workshop=workshop)


class ChooseParticipantForm(forms.Form):
    participant = forms.ModelChoiceField(queryset=Participant.objects.none())

    def __init__(self, *args, workshop, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participant"].queryset = Participant.objects.filter(cohort__workshop=workshop).select_related(
            "user", "country", "cohort"
        )


@admin.register(ReminderRule)
class ReminderRuleAdmin(admin.ModelAdmin):
    list_display = ["name", "workshop", "kind", "timing", "is_optional", "is_active", "sent_count"]
    list_filter = ["workshop", "kind", "is_active", "is_optional"]
    search_fields = ["name"]
    list_select_related = ["workshop"]
    actions = ["preview_message", "send_now_for_group"]

    def get_queryset(self, request):
        return selectors.rules_with_counts(super().get_queryset(request))

    @admin.display(description=_("When"))
    def timing(self, obj):
        return obj.timing_text

    @admin.display(description=_("Sent"), ordering="sent_count")
    def sent_count(self, obj):
        return obj.sent_count

    def _single(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, _("Choose exactly one rule."), messages.WARNING)
            return None
        return queryset.select_related("workshop").get()

    @admin.action(description=_("Preview the message for a participant"))
    def preview_message(self, request, queryset):
        rule = self._single(request, queryset)
        if rule is None:
            return None
        form = ChooseParticipantForm(request.POST if "apply" in request.POST else None, workshop=rule.workshop)
        preview = None
        if form.is_bound and form.is_valid():
            preview = selectors.preview(rule, form.cleaned_data["participant"])
            if preview is None:
                form.add_error("participant", "This rule has nothing to send for that participant's group yet.")
        return render(
            request,
            "admin/reminders/preview.html",
            {
                **self.admin_site.each_context(request),
                "rule": rule,
                "form": form,
                "preview": preview,
                "title": f"Preview: {rule.name}",
                "action": "preview_message",
            },
        )

    @admin.action(description=_("Send now to one group"))
    def send_now_for_group(self, request, queryset):
        rule = self._single(request, queryset)
        if rule is None:
            return None
        form = ChooseGroupForm(request.POST if "apply" in request.POST else None, workshop=rule.workshop)
        if form.is_bound and form.is_valid():
            count = services.send_rule_now(rule, form.cleaned_data["cohort"])
            self.message_user(
                request,
                ngettext(
                    "%(count)s message queued for %(group)s. "
                    "People already reminded for the same session or task are not sent it twice.",
                    "%(count)s messages queued for %(group)s. "
                    "People already reminded for the same session or task are not sent it twice.",
                    count,
                )
                % {"count": count, "group": form.cleaned_data["cohort"].name},
                messages.SUCCESS,
            )
            return None
        return render(
            request,
            "admin/reminders/choose_group.html",
            {
                **self.admin_site.each_context(request),
                "rule": rule,
                "form": form,
                "title": _("Send now: %(rule)s") % {"rule": rule.name},
                "action": "send_now_for_group",
            },
        )


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["participant_email", "source", "target_key", "scheduled_for", "status_badge", "attempts", "sent_at"]
    show_full_result_count = False  # no count of every row across all workshops
    list_filter = ["status", "rule__kind", "rule", "participant__cohort", "participant__cohort__workshop"]
    # Searched by person only: the few matching accounts lead to their deliveries through an index, where a text
    # column of the deliveries themselves would be read row by row across every workshop.
    search_fields = ["participant__user__email", "participant__user__last_name"]
    list_select_related = ["rule", "message", "participant__user"]
    date_hierarchy = "scheduled_for"
    readonly_fields = [f.name for f in Delivery._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("Participant"), ordering="participant__user__email")
    def participant_email(self, obj):
        return obj.participant.user.email

    @admin.display(description=_("Rule or message"))
    def source(self, obj):
        return obj.rule.name if obj.rule_id else _("Message: %(subject)s") % {"subject": obj.message.subject}

    @admin.display(description=_("Status"), ordering="status")
    def status_badge(self, obj):
        colours = {"sent": "green", "failed": "#b00", "skipped": "#777", "pending": "#b60", "sending": "#b60"}
        title = obj.last_error or obj.skip_reason
        return format_html(
            '<b style="color:{}" title="{}">{}</b>', colours[obj.status], title, obj.get_status_display()
        )


@admin.register(OneOffMessage)
class OneOffMessageAdmin(admin.ModelAdmin):
    list_display = ["subject", "cohort", "task", "sent_by", "created_at"]
    list_filter = ["cohort__workshop", "cohort"]
    search_fields = ["subject", "body"]
    list_select_related = ["cohort__workshop", "task__session", "sent_by"]
    readonly_fields = ["cohort", "task", "subject", "body", "sent_by", "created_at"]

    def has_add_permission(self, request):
        return False
