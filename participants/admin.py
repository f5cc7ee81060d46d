from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import format_lazy
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from common import background, timefmt
from sessions_app.models import Workshop

from . import services
from .models import Country, Participant, RosterImport, Team, TeamMembership, User
from .roster import COLUMN_LABELS, RosterFileError, RosterRow, read_roster_file

ROSTER_SESSION_KEY = "participants_roster_import"
MAX_ROSTER_UPLOAD = 5 * 1024 * 1024


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_staff", "is_active", "last_login"]
    show_full_result_count = False  # no count of every row across all workshops
    list_filter = ["is_staff", "is_superuser", "is_active", "groups"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (
            _("Person"),
            {"fields": ["first_name", "last_name", "timezone", "email_notifications", "privacy_accepted_at"]},
        ),
        (_("Permissions"), {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]
    readonly_fields = ["privacy_accepted_at"]
    # Only superusers hand out powers: an organizer cannot raise anyone, themselves included.
    superuser_only_fields = ["is_staff", "is_superuser", "groups", "user_permissions"]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += [name for name in self.superuser_only_fields if name not in fields]
        return fields

    def has_change_permission(self, request, obj=None):
        # A superuser's account (e-mail, password, status) is changed by superusers only.
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_delete_permission(request, obj)

    def delete_queryset(self, request, queryset):
        if not request.user.is_superuser and queryset.filter(is_superuser=True).exists():
            raise PermissionDenied(gettext("Only a superuser can delete a superuser's account."))
        super().delete_queryset(request, queryset)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Staff status and facilitation decide the role groups; keep them in step after any edit here.
        services.sync_roles(form.instance)


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "timezone", "caricom_member", "caricom_associate", "caricad_member"]
    list_filter = ["caricom_member", "caricom_associate", "caricad_member"]
    search_fields = ["name", "code"]


class InvitationFilter(admin.SimpleListFilter):
    title = _("invitation")
    parameter_name = "invitation"

    def lookups(self, request, model_admin):
        return [("not_sent", _("Not sent")), ("sent", _("Sent, not accepted")), ("accepted", _("Accepted"))]

    def queryset(self, request, queryset):
        if self.value() == "not_sent":
            return queryset.filter(invitation_sent_at__isnull=True, invitation_accepted_at__isnull=True)
        if self.value() == "sent":
            return queryset.filter(invitation_sent_at__isnull=False, invitation_accepted_at__isnull=True)
        if self.value() == "accepted":
            return queryset.filter(invitation_accepted_at__isnull=False)
        return queryset


class RosterUploadForm(forms.Form):
    workshop = forms.ModelChoiceField(label=_("Workshop"), queryset=Workshop.objects.order_by("-created_at"))
    file = forms.FileField(
        label=_("File"),
        help_text=format_lazy(
            _(
                "A .csv or .xlsx file whose first line names the columns: {columns}. Country: ISO code (JM) or name "
                "(Jamaica). Group: its name in the workshop (Group A)."
            ),
            columns=", ".join(COLUMN_LABELS.values()),
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_ROSTER_UPLOAD:
            raise forms.ValidationError(
                gettext("The file is larger than 5 MB; a roster is much smaller. Check the file.")
            )
        return upload


@admin.register(Participant)
class ParticipantAdmin(admin.ModelAdmin):
    # Narrow enough for a 1,366 px screen: the group and the invitation state stay in view.
    list_display = ["name", "email", "cohort", "country", "invitation", "is_active"]
    show_full_result_count = False  # no count of every row across all workshops
    list_filter = ["cohort__workshop", "cohort", "country", "is_active", InvitationFilter]
    search_fields = ["user__email", "user__first_name", "user__last_name", "institution"]
    list_select_related = ["user", "country", "cohort__workshop"]
    autocomplete_fields = ["user", "country"]
    readonly_fields = ["calendar_token", "joined_at", "invitation_sent_at", "invitation_accepted_at"]
    actions = [
        "send_invitations",
        "resend_invitations",
        "deactivate",
        "reactivate",
        "new_calendar_address",
    ]

    @admin.display(description=_("name"), ordering="user__last_name")
    def name(self, obj):
        return obj.user.get_full_name() or obj.user.email

    @admin.display(description=_("e-mail"), ordering="user__email")
    def email(self, obj):
        return obj.user.email

    @admin.display(description=_("invitation"), ordering="invitation_accepted_at")
    def invitation(self, obj):
        if obj.invitation_accepted_at:
            when = timezone.localtime(obj.invitation_accepted_at)
            return format_html("✓ {}", gettext("accepted %(date)s") % {"date": timefmt.date_text(when, "day_year")})
        if obj.invitation_sent_at:
            return gettext("sent %(date)s, not accepted") % {
                "date": timefmt.date_text(obj.invitation_sent_at, "day_year")
            }
        return gettext("not sent")

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        services.sync_roles(obj.user)

    @admin.action(description=_("Send invitations (to those not yet invited)"))
    def send_invitations(self, request, queryset):
        pending = queryset.filter(is_active=True, invitation_sent_at__isnull=True, invitation_accepted_at__isnull=True)
        count = services.invite(pending.select_related("user"))
        skipped = queryset.count() - count
        message = ngettext("%(count)d invitation is being sent.", "%(count)d invitations are being sent.", count)
        if skipped:
            message += " " + ngettext(
                "%(skipped)d already invited, accepted or deactivated: use “Resend” for them.",
                "%(skipped)d already invited, accepted or deactivated: use “Resend” for them.",
                skipped,
            )
        self.message_user(request, message % {"count": count, "skipped": skipped}, messages.SUCCESS)

    @admin.action(description=_("Resend invitations"))
    def resend_invitations(self, request, queryset):
        active = queryset.filter(is_active=True, user__is_active=True)
        count = services.invite(active)
        skipped = queryset.count() - count
        message = ngettext(
            "%(count)d invitation is being sent again.", "%(count)d invitations are being sent again.", count
        )
        if skipped:
            message += " " + ngettext(
                "%(skipped)d deactivated participant skipped.", "%(skipped)d deactivated participants skipped.", skipped
            )
        self.message_user(request, message % {"count": count, "skipped": skipped}, messages.SUCCESS)

    @admin.action(description=_("Deactivate (their work is kept)"))
    def deactivate(self, request, queryset):
        with transaction.atomic():
            for participant in queryset.select_related("user"):
                services.deactivate(participant)
        count = queryset.count()
        message = ngettext("%(count)d participant deactivated.", "%(count)d participants deactivated.", count) % {
            "count": count
        }
        message += " " + gettext(
            "Their work is kept; they no longer see the group or appear on its boards, and people with no other role "
            "can no longer sign in."
        )
        self.message_user(request, message, messages.SUCCESS)

    @admin.action(description=_("Reactivate"))
    def reactivate(self, request, queryset):
        with transaction.atomic():
            for participant in queryset.select_related("user"):
                services.reactivate(participant)
        count = queryset.count()
        message = ngettext("%(count)d participant reactivated.", "%(count)d participants reactivated.", count)
        self.message_user(request, message % {"count": count}, messages.SUCCESS)

    @admin.action(description=_("Give a new calendar address (the old one stops working)"), permissions=["change"])
    def new_calendar_address(self, request, queryset):
        count = services.new_calendar_addresses(queryset)
        self.message_user(
            request,
            ngettext(
                "%(count)d participant has a new calendar address; their old one answers “not found”.",
                "%(count)d participants have a new calendar address; their old one answers “not found”.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )

    def get_urls(self):
        return [
            path(
                "import-roster/",
                self.admin_site.admin_view(self.import_roster_view),
                name="participants_participant_import",
            ),
            path(
                "import-roster/<int:pk>/",
                self.admin_site.admin_view(self.import_status_view),
                name="participants_participant_import_status",
            ),
        ] + super().get_urls()

    def import_roster_view(self, request):
        """Upload → preview with every row's problems → import (only a clean file, all in one transaction)."""
        if not self.has_add_permission(request):
            return redirect("admin:index")
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Import a roster"),
            "opts": self.model._meta,
        }
        if request.method == "POST" and request.POST.get("confirm"):
            return self._confirm_import(request, context)
        form = RosterUploadForm(request.POST or None, request.FILES or None)
        check = None
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            workshop = form.cleaned_data["workshop"]
            try:
                rows = read_roster_file(upload.name, upload.read())
            except RosterFileError as exc:
                form.add_error("file", gettext("Nothing was imported. %(problem)s") % {"problem": exc})
            else:
                from .roster import check_roster

                check = check_roster(workshop, rows)
                if check.is_clean:
                    request.session[ROSTER_SESSION_KEY] = {
                        "workshop": workshop.pk,
                        "file_name": upload.name,
                        "rows": [{"line": row.line, "values": row.values} for row in rows],
                    }
                context.update(workshop=workshop, file_name=upload.name)
        context.update(form=form, check=check)
        return render(request, "admin/participants/import_roster.html", context)

    def _confirm_import(self, request, context):
        pending = request.session.get(ROSTER_SESSION_KEY)
        workshop = Workshop.objects.filter(pk=(pending or {}).get("workshop")).first()
        if not pending or workshop is None:
            self.message_user(request, gettext("Upload the roster again: the preview has expired."), messages.WARNING)
            return redirect("admin:participants_participant_import")
        rows = [RosterRow(line=row["line"], values=row["values"]) for row in pending["rows"]]
        # Imported in the worker (2,000 rows take over a minute), which checks the rows again: someone may have
        # enrolled people since the preview.
        job = services.queue_roster_import(
            workshop,
            rows,
            file_name=pending["file_name"],
            user=request.user,
            send_invitations=bool(request.POST.get("send_invitations")),
        )
        del request.session[ROSTER_SESSION_KEY]
        return redirect("admin:participants_participant_import_status", job.pk)

    def import_status_view(self, request, pk):
        """The confirmed import as the worker runs it: refreshes itself until it ends, then its outcome."""
        if not (request.user.is_staff and self.has_add_permission(request)):
            raise PermissionDenied
        job = RosterImport.objects.select_related("workshop", "requested_by").filter(pk=pk).first()
        if job is None:
            raise Http404(gettext("No such roster import."))
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Roster import"),
            "opts": self.model._meta,
            "job": job,
            "workshop": job.workshop,
            "file_name": job.file_name,
            "poll_seconds": background.POLL_SECONDS,
            "participants_url": participants_of(job.workshop),
        }
        if job.status == RosterImport.Status.DONE:
            context["outcome"] = import_outcome(job)
        elif job.status == RosterImport.Status.REFUSED:
            context["check"] = services.roster_import_check(job)
        return render(request, "admin/participants/roster_import_status.html", context)


def participants_of(workshop) -> str:
    return f"{reverse('admin:participants_participant_changelist')}?cohort__workshop__id__exact={workshop.pk}"


def import_outcome(job: RosterImport) -> str:
    message = ngettext(
        "Imported %(count)d participant into “%(workshop)s”.",
        "Imported %(count)d participants into “%(workshop)s”.",
        job.imported_count,
    ) % {"count": job.imported_count, "workshop": job.workshop}
    if job.invited_count:
        note = ngettext(
            "%(count)d invitation is being sent.", "%(count)d invitations are being sent.", job.invited_count
        ) % {"count": job.invited_count}
    else:
        note = gettext("No invitations were sent yet.")
    return f"{message} {note}"


@admin.register(RosterImport)
class RosterImportAdmin(admin.ModelAdmin):
    """Past imports, read only: each opens its status page (its outcome, or the problems the worker found)."""

    list_display = ["asked_for", "workshop", "file_name", "status", "imported_count", "requested_by", "outcome"]
    list_filter = ["status", "workshop"]
    list_select_related = ["workshop", "requested_by"]
    show_full_result_count = False
    fields = [
        "workshop",
        "file_name",
        "requested_by",
        "requested_at",
        "status",
        "row_count",
        "imported_count",
        "send_invitations",
        "invited_count",
        "error",
        "started_at",
        "finished_at",
    ]
    readonly_fields = fields

    @admin.display(description=_("asked for"), ordering="requested_at")
    def asked_for(self, obj):
        return timefmt.admin_reference(obj.requested_at, obj.workshop)

    @admin.display(description=_("outcome"))
    def outcome(self, obj):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:participants_participant_import_status", args=[obj.pk]),
            gettext("See the outcome"),
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (obj is None or not obj.is_busy)


class TeamMembershipInline(admin.TabularInline):
    model = TeamMembership
    extra = 3
    autocomplete_fields = ["participant"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "cohort", "session", "member_list"]
    list_filter = ["cohort__workshop", "cohort", "session__number"]
    search_fields = ["name", "memberships__participant__user__last_name", "memberships__participant__user__email"]
    list_select_related = ["cohort__workshop", "session"]
    inlines = [TeamMembershipInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("members__user", "members__country")

    @admin.display(description=_("members"))
    def member_list(self, obj):
        return ", ".join(f"{member.user} ({member.country.code})" for member in obj.members.all())
