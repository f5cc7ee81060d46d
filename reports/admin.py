from django.contrib import admin

from .models import ChosenComment, ClosingText, GeneratedReport


@admin.register(ClosingText)
class ClosingTextAdmin(admin.ModelAdmin):
    list_display = ["workshop", "updated_at", "updated_by"]
    readonly_fields = ["updated_at", "updated_by"]


@admin.register(ChosenComment)
class ChosenCommentAdmin(admin.ModelAdmin):
    list_display = ["text", "question", "chosen_at"]
    raw_id_fields = ["question"]
    readonly_fields = ["chosen_by", "chosen_at"]


@admin.register(GeneratedReport)
class GeneratedReportAdmin(admin.ModelAdmin):
    list_display = ["workshop", "cohort", "format", "status", "progress", "generated_at", "file_has_names"]
    list_filter = ["format", "status"]
    readonly_fields = [f.name for f in GeneratedReport._meta.fields]

    def has_add_permission(self, request):
        return False
