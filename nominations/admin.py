from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Call, LogEntry, Nomination, Nominator, NominatorReminder


class NominatorInline(admin.TabularInline):
    model = Nominator
    extra = 0
    autocomplete_fields = ["user"]
    readonly_fields = ["invited_at"]


@admin.register(Call)
class CallAdmin(admin.ModelAdmin):
    list_display = ["workshop", "deadline", "seats_per_country", "who_nominates", "is_closed", "groups_confirmed_at"]
    list_filter = ["who_nominates", "is_closed"]
    filter_horizontal = ["countries"]
    readonly_fields = ["groups_confirmed_at"]
    inlines = [NominatorInline]
    fieldsets = [
        (None, {"fields": ["workshop", "deadline", "seats_per_country", "countries", "who_nominates", "is_closed"]}),
        (
            _("What a nomination must contain"),
            {
                "description": _("Name, e-mail address and country are always required."),
                "fields": [
                    "require_institution",
                    "require_position",
                    "require_seniority",
                    "require_gender",
                    "require_motivation",
                    "require_cv",
                ],
            },
        ),
        (_("Groups"), {"fields": ["groups_confirmed_at"]}),
    ]


@admin.register(Nomination)
class NominationAdmin(admin.ModelAdmin):
    list_display = ["last_name", "first_name", "email", "country", "status", "rank", "source", "proposed_cohort"]
    list_filter = ["call", "status", "source", "gender", "seniority", "country"]
    search_fields = ["first_name", "last_name", "email", "institution"]
    list_select_related = ["country", "proposed_cohort"]
    readonly_fields = ["participant", "courtesy_sent_at", "decided_at", "created_at", "updated_at", "nominated_by"]
    exclude = ["confirmation_token"]
    raw_id_fields = ["call"]


@admin.register(LogEntry)
class LogEntryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "call", "action", "nomination", "actor", "note"]
    list_filter = ["call", "action"]
    list_select_related = ["call__workshop", "nomination__country", "actor"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(NominatorReminder)
class NominatorReminderAdmin(admin.ModelAdmin):
    list_display = ["created_at", "rule", "nominator"]
    list_select_related = ["rule", "nominator__user", "nominator__country"]

    def has_add_permission(self, request):
        return False
