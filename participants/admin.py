from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import Country, Participant, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_staff", "is_active", "last_login"]
    list_filter = ["is_staff", "is_superuser", "is_active", "groups"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Person", {"fields": ["first_name", "last_name", "timezone"]}),
        ("Permissions", {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "timezone", "caricom_member", "caricom_associate", "caricad_member"]
    list_filter = ["caricom_member", "caricom_associate", "caricad_member"]
    search_fields = ["name", "code"]


@admin.register(Participant)
class ParticipantAdmin(admin.ModelAdmin):
    list_display = ["user", "country", "cohort", "institution", "position", "is_active"]
    list_filter = ["cohort__workshop", "cohort", "country", "is_active"]
    search_fields = ["user__email", "user__first_name", "user__last_name", "institution"]
    list_select_related = ["user", "country", "cohort__workshop"]
    autocomplete_fields = ["user", "country"]
    readonly_fields = ["calendar_token", "joined_at"]
