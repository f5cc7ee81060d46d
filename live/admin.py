from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import (
    Attendance,
    Board,
    BoardHeading,
    BreakoutAssignment,
    BreakoutDraw,
    Certificate,
    Debate,
    DebateSide,
    Idea,
    KeyMessages,
    LiveSettings,
    Poll,
    PollOption,
    PollRun,
    PollVote,
)
from .services import new_certificate_code


@admin.register(LiveSettings)
class LiveSettingsAdmin(admin.ModelAdmin):
    list_display = ["workshop", "partly_counts_for_certificate", "present_from_percent"]
    list_filter = ["partly_counts_for_certificate"]
    search_fields = ["workshop__title", "workshop__slug"]


@admin.register(Attendance)
class AttendanceAdmin(admin.ModelAdmin):
    list_display = ["participant", "occurrence", "status", "minutes_attended", "source", "updated_at"]
    show_full_result_count = False  # no count of every row across all workshops
    list_filter = [
        "status",
        "source",
        "occurrence__cohort__workshop",
        "occurrence__cohort",
        "occurrence__session__number",
    ]
    search_fields = ["participant__user__email", "participant__user__first_name", "participant__user__last_name"]
    list_select_related = [
        "participant__user",
        "participant__country",
        "participant__cohort",
        "occurrence__session__workshop",
        "occurrence__cohort",
    ]
    raw_id_fields = ["participant", "occurrence", "recorded_by"]


class BreakoutAssignmentInline(admin.TabularInline):
    model = BreakoutAssignment
    extra = 0
    raw_id_fields = ["participant"]

    def has_change_permission(self, request, obj=None):
        return obj is None or not obj.is_published

    has_add_permission = has_delete_permission = has_change_permission


@admin.register(BreakoutDraw)
class BreakoutDrawAdmin(admin.ModelAdmin):
    list_display = [
        "agenda_item",
        "occurrence",
        "status",
        "room_count",
        "country_rule",
        "repeated_pairs",
        "seed",
        "created_at",
    ]
    list_filter = ["status", "country_rule", "occurrence__cohort__workshop", "occurrence__cohort"]
    search_fields = ["agenda_item__title", "seed"]
    list_select_related = ["agenda_item", "occurrence__session__workshop", "occurrence__cohort"]
    raw_id_fields = ["occurrence", "agenda_item", "created_by"]
    inlines = [BreakoutAssignmentInline]

    def get_readonly_fields(self, request, obj=None):
        # Published draws are the record of who met whom: they are not edited.
        if obj is not None and obj.is_published:
            return [field.name for field in obj._meta.fields]
        return ["repeated_pairs", "country_conflicts", "published_at"]

    def has_delete_permission(self, request, obj=None):
        return obj is None or not obj.is_published


class PollOptionInline(admin.TabularInline):
    model = PollOption
    extra = 2


@admin.register(Poll)
class PollAdmin(admin.ModelAdmin):
    list_display = ["question", "session", "kind", "max_choices", "agenda_item"]
    list_filter = ["kind", "session__workshop", "session__number"]
    search_fields = ["question"]
    list_select_related = ["session__workshop", "agenda_item"]
    raw_id_fields = ["agenda_item"]
    inlines = [PollOptionInline]


@admin.register(PollRun)
class PollRunAdmin(admin.ModelAdmin):
    list_display = ["poll", "occurrence", "status", "results_visible", "opened_at", "closed_at"]
    list_filter = ["status", "results_visible", "occurrence__cohort__workshop", "occurrence__cohort"]
    search_fields = ["poll__question"]
    list_select_related = ["poll", "occurrence__session__workshop", "occurrence__cohort"]
    raw_id_fields = ["poll", "occurrence"]


@admin.register(PollVote)
class PollVoteAdmin(admin.ModelAdmin):
    list_display = ["participant", "run", "created_at"]
    show_full_result_count = False  # no count of every row across all workshops
    list_filter = ["run__occurrence__cohort__workshop", "run__occurrence__cohort", "run__poll"]
    search_fields = ["participant__user__email", "run__poll__question"]
    list_select_related = [
        "participant__user",
        "participant__country",
        "participant__cohort",
        "run__poll",
        "run__occurrence__cohort",
    ]
    raw_id_fields = ["run", "participant"]
    filter_horizontal = ["options"]


class BoardHeadingInline(admin.TabularInline):
    model = BoardHeading
    extra = 0


@admin.register(Board)
class BoardAdmin(admin.ModelAdmin):
    list_display = ["prompt", "occurrence", "is_open", "created_at"]
    list_filter = ["is_open", "occurrence__cohort__workshop", "occurrence__cohort"]
    search_fields = ["prompt"]
    list_select_related = ["occurrence__session__workshop", "occurrence__cohort"]
    raw_id_fields = ["occurrence", "agenda_item"]
    inlines = [BoardHeadingInline]


@admin.register(Idea)
class IdeaAdmin(admin.ModelAdmin):
    list_display = ["text", "author", "board", "heading", "created_at"]
    list_filter = ["board__occurrence__cohort__workshop", "board__occurrence__cohort"]
    search_fields = ["text", "author__user__email"]
    list_select_related = ["author__user", "author__country", "author__cohort", "board__occurrence__cohort", "heading"]
    raw_id_fields = ["board", "author", "heading"]


class DebateSideInline(admin.TabularInline):
    model = DebateSide
    extra = 0
    raw_id_fields = ["participant"]


@admin.register(Debate)
class DebateAdmin(admin.ModelAdmin):
    list_display = ["motion", "occurrence", "statements_open", "created_at"]
    list_filter = ["statements_open", "occurrence__cohort__workshop", "occurrence__cohort"]
    search_fields = ["motion"]
    list_select_related = ["occurrence__session__workshop", "occurrence__cohort"]
    raw_id_fields = ["occurrence", "agenda_item"]
    inlines = [DebateSideInline]


@admin.register(KeyMessages)
class KeyMessagesAdmin(admin.ModelAdmin):
    list_display = ["occurrence", "recorded_by", "updated_at"]
    list_filter = ["occurrence__cohort__workshop", "occurrence__cohort"]
    search_fields = ["text"]
    list_select_related = ["occurrence__session__workshop", "occurrence__cohort", "recorded_by"]
    raw_id_fields = ["occurrence", "recorded_by"]


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    list_display = ["holder_name", "display_code", "workshop_title", "group_name", "issued_at", "revoked_at"]
    list_filter = ["group_name", "issued_at", ("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["holder_name", "code", "workshop_title"]
    raw_id_fields = ["participant"]
    readonly_fields = ["code", "issued_at"]
    actions = ["revoke"]

    def save_model(self, request, obj, form, change):
        # The portal issues certificates from attendance; one added here (an organizer's exception) gets a code too.
        if not obj.code:
            obj.code = new_certificate_code()
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Revoke (the code no longer verifies)"))
    def revoke(self, request, queryset):
        count = queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
        self.message_user(
            request,
            ngettext("%(count)s certificate revoked.", "%(count)s certificates revoked.", count) % {"count": count},
            messages.SUCCESS,
        )
