from pathlib import PurePath

from django import forms
from django.contrib import admin
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from sessions_app.models import SessionOccurrence
from sessions_app.selectors import occurrences_by_number

from . import files, services
from .models import Extension, Submission, SubmissionVersion

PRIVATE_NOTE = _("Private reflection notes: visible to their author alone, not shown here.")


class VersionForm(forms.ModelForm):
    class Meta:
        model = SubmissionVersion
        fields = ["submitted_by", "text", "link", "file"]

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and hasattr(upload, "content_type"):  # a new upload, not the stored file
            files.check_upload(upload)
        return upload


class SubmissionVersionInline(admin.StackedInline):
    """Existing versions are read only; an organizer may add one on a participant's behalf (e.g. mailed slides)."""

    model = SubmissionVersion
    form = VersionForm
    extra = 0
    can_delete = False
    autocomplete_fields = ["submitted_by"]
    readonly_fields = ["number", "submitted_at", "is_late", "content", "download"]

    def get_extra(self, request, obj=None, **kwargs):
        return 1 if obj is None else 0

    def get_fields(self, request, obj=None):
        if obj is not None and obj.task.is_private:
            # Never the body of private notes, not even for organizers.
            return ["number", "submitted_by", "submitted_at", "is_late", "content"]
        return ["number", "submitted_by", "submitted_at", "is_late", "content", "download", "text", "link", "file"]

    def has_change_permission(self, request, obj=None):
        return False if obj is not None and obj.task.is_private else super().has_change_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        return False if obj is not None and obj.task.is_private else super().has_add_permission(request, obj)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("submitted_by__user", "submission__task")

    @admin.display(description=_("content"))
    def content(self, obj):
        if not obj.pk:
            return "—"
        if obj.submission.task.is_private:
            return PRIVATE_NOTE
        return {"file": _("file"), "link": _("link"), "text": _("text"), "done": _("marked as done")}[obj.kind]

    @admin.display(description=_("download"))
    def download(self, obj):
        if obj.pk and obj.file:
            return format_html('<a href="{}">{}</a>', reverse("preparation:file", args=[obj.pk]), obj.original_name)
        return "—"


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    list_display = ["task", "cohort", "owner", "version_count", "submitted_at", "is_late"]
    show_full_result_count = False  # no count of every row across all workshops
    list_filter = ["cohort__workshop", "cohort", "task__session__number", "task__performed_by", "is_late"]
    search_fields = [
        "task__title",
        "participant__user__last_name",
        "participant__user__email",
        "country__name",
        "team__name",
    ]
    list_select_related = ["task__session", "cohort__workshop", "participant__user", "country", "team"]
    autocomplete_fields = ["task", "cohort", "participant", "country", "team"]
    ordering = ["task_id", "cohort_id", "-submitted_at"]  # the list-order index, not a sort of every submission
    readonly_fields = ["version_count", "submitted_at", "is_late"]
    inlines = [SubmissionVersionInline]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:
            return ["task", "cohort", "participant", "country", "team", *self.readonly_fields]
        return self.readonly_fields

    @admin.display(description=_("by"))
    def owner(self, obj):
        return obj.owner_label

    def save_formset(self, request, form, formset, change):
        submission = form.instance
        versions = formset.save(commit=False)
        number = submission.versions.aggregate(top=Max("number"))["top"] or 0
        by_number = occurrences_by_number(
            SessionOccurrence.objects.filter(cohort_id=submission.cohort_id).select_related("session")
        )
        due = submission.task.due_at(by_number)
        extension = Extension.objects.filter(task=submission.task, cohort=submission.cohort).filter(
            participant=submission.participant, country=submission.country, team=submission.team
        )
        due = max(extension.values_list("due_at", flat=True), default=due)
        for version in versions:
            if version.pk:
                continue
            number += 1
            version.number = number
            version.submitted_at = timezone.now()
            version.due_at = due
            version.is_late = due is not None and version.submitted_at > due
            if version.file:
                version.original_name = PurePath(version.file.name).name[:255]
                version.file_size = version.file.size
                version.content_type = services.content_type_of(version.file)
            version.save()
        latest = submission.versions.order_by("-number").first()
        if latest is not None:
            submission.latest_version = latest
            submission.version_count = latest.number
            submission.submitted_at = latest.submitted_at
            submission.is_late = latest.is_late
            submission.save(update_fields=["latest_version", "version_count", "submitted_at", "is_late"])


@admin.register(Extension)
class ExtensionAdmin(admin.ModelAdmin):
    list_display = ["task", "cohort", "owner", "due_at", "reason", "granted_by", "created_at"]
    list_filter = ["cohort__workshop", "cohort", "task__session__number"]
    search_fields = ["task__title", "participant__user__last_name", "participant__user__email", "team__name"]
    list_select_related = ["task__session", "cohort", "participant__user", "country", "team", "granted_by"]
    autocomplete_fields = ["task", "cohort", "participant", "country", "team"]
    fields = ["task", "cohort", "participant", "country", "team", "due_at", "reason"]

    @admin.display(description=_("for"))
    def owner(self, obj):
        return obj.owner_label

    def save_model(self, request, obj, form, change):
        """The admin grants through the one service the portal has (the tested path)."""
        owner_fields = ("task", "cohort", "participant", "country", "team")
        if change and any(name in form.changed_data for name in owner_fields):
            # Another task or owner: the previous one gets their own due moment back, then the new one is granted.
            services.withdraw_extension(Extension.objects.get(pk=obj.pk))
        saved = services.grant_extension(
            obj.task,
            due_at=obj.due_at,
            participant=obj.participant,
            team=obj.team,
            cohort=obj.cohort,
            country=obj.country,
            reason=obj.reason,
            granted_by=request.user,
        )
        obj.pk, obj._state = saved.pk, saved._state

    def delete_model(self, request, obj):
        services.withdraw_extension(obj)

    def delete_queryset(self, request, queryset):
        for extension in queryset:
            services.withdraw_extension(extension)
