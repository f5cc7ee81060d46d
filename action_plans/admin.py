from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import (
    Action,
    ActionPlan,
    ActionPlanSettings,
    ActionUpdate,
    GovernancePrinciple,
    NdpPriority,
    Sdg,
    SdgChoice,
    ServiceQuality,
    StructuredTask,
)

# A participant's name shows their country and group: fetched with the row, not one query per row.
UPDATED_BY = ["updated_by__user", "updated_by__country", "updated_by__cohort"]


@admin.register(Sdg)
class SdgAdmin(admin.ModelAdmin):
    list_display = ["number", "short_name", "title", "colour"]
    search_fields = ["short_name", "title"]
    ordering = ["number"]


@admin.register(GovernancePrinciple)
class GovernancePrincipleAdmin(admin.ModelAdmin):
    list_display = ["name", "group", "order"]
    list_filter = ["group"]
    search_fields = ["name", "description"]


@admin.register(ServiceQuality)
class ServiceQualityAdmin(admin.ModelAdmin):
    list_display = ["name", "key", "order", "description"]
    search_fields = ["name", "description"]


@admin.register(StructuredTask)
class StructuredTaskAdmin(admin.ModelAdmin):
    """Which preparation task is answered with which form: set once per programme."""

    list_display = ["task", "workshop", "kind", "performed_by"]
    list_filter = ["kind", "task__session__workshop"]
    search_fields = ["task__title", "task__session__workshop__title"]
    list_select_related = ["task__session__workshop"]
    autocomplete_fields = ["task"]

    @admin.display(description=_("workshop"), ordering="task__session__workshop__title")
    def workshop(self, obj):
        return obj.task.session.workshop

    @admin.display(description=_("done by"))
    def performed_by(self, obj):
        return obj.task.get_performed_by_display()


@admin.register(SdgChoice)
class SdgChoiceAdmin(admin.ModelAdmin):
    list_display = ["participant", "country", "group", "sdg", "created_at", "updated_at"]
    list_filter = ["task__session__workshop", "participant__cohort", "sdg"]
    search_fields = ["participant__user__email", "participant__user__last_name", "note"]
    list_select_related = ["participant__user", "participant__country", "participant__cohort", "sdg"]
    autocomplete_fields = ["participant", "task"]

    @admin.display(description=_("country"), ordering="participant__country__name")
    def country(self, obj):
        return obj.participant.country

    @admin.display(description=_("group"), ordering="participant__cohort__name")
    def group(self, obj):
        return obj.participant.cohort.name


@admin.register(NdpPriority)
class NdpPriorityAdmin(admin.ModelAdmin):
    list_display = ["title", "country", "cohort", "position", "updated_by", "updated_at"]
    list_filter = ["cohort__workshop", "cohort", "country"]
    search_fields = ["title", "digital_contribution", "country__name"]
    list_select_related = ["country", "cohort__workshop", *UPDATED_BY]
    autocomplete_fields = ["task"]
    filter_horizontal = ["sdgs"]


@admin.register(ActionPlanSettings)
class ActionPlanSettingsAdmin(admin.ModelAdmin):
    list_display = ["workshop", "followup_months", "board"]
    search_fields = ["workshop__title", "workshop__slug"]

    @admin.display(description=_("follow-up board"))
    def board(self, obj):
        return format_html(
            '<a href="{}">Open the board</a>', reverse("action_plans:followup_board", args=[obj.workshop_id])
        )


class ActionInline(admin.StackedInline):
    model = Action
    extra = 0
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
        "updated_by",
        "updated_at",
        "last_change",
    ]
    readonly_fields = ["updated_by", "updated_at", "last_change"]
    filter_horizontal = ["sdgs", "qualities"]
    show_change_link = True


@admin.register(ActionPlan)
class ActionPlanAdmin(admin.ModelAdmin):
    list_display = ["country", "cohort", "workshop", "action_count", "updated_at", "updated_by", "page"]
    list_filter = ["cohort__workshop", "cohort"]
    search_fields = ["country__name", "actions__title"]
    list_select_related = ["country", "cohort__workshop", *UPDATED_BY]
    readonly_fields = ["created_at", "updated_at", "updated_by"]
    inlines = [ActionInline]

    def get_queryset(self, request):
        from django.db.models import Count

        return super().get_queryset(request).annotate(action_count=Count("actions"))

    @admin.display(description=_("workshop"), ordering="cohort__workshop__title")
    def workshop(self, obj):
        return obj.cohort.workshop.slug

    @admin.display(description=_("actions"), ordering="action_count")
    def action_count(self, obj):
        return obj.action_count

    @admin.display(description=_("page"))
    def page(self, obj):
        url = reverse("action_plans:plan", args=[obj.cohort_id, obj.country.code])
        return format_html('<a href="{}">Open</a>', url)


class ActionUpdateInline(admin.TabularInline):
    model = ActionUpdate
    extra = 0
    fields = ["at", "previous_status", "status", "note", "by"]
    readonly_fields = ["at", "previous_status", "status", "note", "by"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Action)
class ActionAdmin(admin.ModelAdmin):
    list_display = ["title", "country", "group", "dimension", "time_frame", "status", "updated_at", "updated_by"]
    list_filter = ["plan__cohort__workshop", "plan__cohort", "status", "time_frame", "dimension__name"]
    search_fields = ["title", "owner", "plan__country__name", "first_step", "obstacles"]
    list_select_related = ["plan__country", "plan__cohort", "dimension", *UPDATED_BY]
    readonly_fields = ["created_by", "updated_by", "created_at", "updated_at", "last_change", "version"]
    filter_horizontal = ["sdgs", "qualities"]
    inlines = [ActionUpdateInline]

    @admin.display(description=_("country"), ordering="plan__country__name")
    def country(self, obj):
        return obj.plan.country

    @admin.display(description=_("group"), ordering="plan__cohort__name")
    def group(self, obj):
        return obj.plan.cohort.name
