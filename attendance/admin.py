from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import Attendance, Certificate, LiveSettings
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
