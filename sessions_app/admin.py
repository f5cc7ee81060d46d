import zoneinfo
from datetime import timedelta

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.db import models
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from common import timefmt
from common.admin_translations import TranslationsAdminMixin
from common.exports import attachment

from . import selectors, services
from .models import (
    AgendaItem,
    AgendaItemSpeaker,
    Cohort,
    FocalPoint,
    Organization,
    PreparationTask,
    Resource,
    Session,
    SessionOccurrence,
    Speaker,
    Workshop,
)
from .programme_file import ProgrammeError, dump_document, parse_document


class ReferenceZoneMixin:
    """Dates and times typed and shown in the workshop's reference zone, whatever the organizer's own zone, and
    labelled so: an organizer in New York moving a session types the clock time the programme uses."""

    reference_zone_help = _("In the workshop's reference zone: %(label)s (%(zone)s).")

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if isinstance(db_field, models.DateTimeField) and formfield is not None:
            workshop = getattr(request, "reference_workshop", None)
            if workshop is not None:
                note = self.reference_zone_help % {
                    "label": workshop.reference_timezone_label,
                    "zone": workshop.reference_timezone,
                }
            else:
                note = gettext("In your own zone (%(zone)s): the workshop is not chosen yet.") % {
                    "zone": timezone.get_current_timezone_name()
                }
            formfield.help_text = f"{formfield.help_text} {note}".strip() if formfield.help_text else note
        return formfield


class ReferenceZoneAdmin(ReferenceZoneMixin, admin.ModelAdmin):
    def reference_workshop(self, request, object_id):
        raise NotImplementedError

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        workshop = self.reference_workshop(request, object_id)
        if workshop is None:  # one reference zone for every workshop: use it even before one is chosen
            zones = set(Workshop.objects.values_list("reference_timezone", flat=True).distinct()[:2])
            if len(zones) == 1:
                workshop = Workshop.objects.filter(reference_timezone__in=zones).order_by("-created_at").first()
        request.reference_workshop = workshop
        if workshop is None:
            return super().changeform_view(request, object_id, form_url, extra_context)
        with timezone.override(workshop.tz):
            response = super().changeform_view(request, object_id, form_url, extra_context)
            if hasattr(response, "render"):  # a TemplateResponse renders later: render it in this zone
                response.render()
            return response

    def report_times(self, request, occurrences):
        viewer_zone = zoneinfo.ZoneInfo(getattr(request, "timezone_name", "UTC"))
        for occurrence in occurrences:
            workshop = occurrence.session.workshop
            self.message_user(
                request,
                gettext("Session %(number)s, %(group)s: %(when)s")
                % {
                    "number": occurrence.session.number,
                    "group": occurrence.cohort.name,
                    "when": timefmt.admin_range(occurrence.starts_at, occurrence.ends_at, workshop, viewer_zone),
                },
                messages.INFO,
            )


class CohortInline(admin.TabularInline):
    model = Cohort
    fields = ["name", "capacity", "seats_per_country", "meeting_link"]
    extra = 0
    show_change_link = True


class SessionInline(admin.TabularInline):
    model = Session
    fields = ["number", "title"]
    extra = 0
    show_change_link = True


class FocalPointInline(admin.StackedInline):
    # Stacked: seven columns side by side made the workshop page 1,938 px wide on a 1,366 px screen.
    model = FocalPoint
    fields = [("honorific", "name"), ("organization", "role"), ("email", "order")]
    extra = 0
    autocomplete_fields = ["organization"]


class CopyRunForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=255)
    slug = forms.SlugField(
        label=_("Address name"), help_text=_("Short address name of the new run, e.g. pacific-2027.")
    )
    first_date = forms.DateField(
        label=_("First date"),
        help_text=_("Date of the first session of the first group; every other date moves by the same number of days."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class ImportProgrammeForm(forms.Form):
    file = forms.FileField(label=_("File"), help_text=_("A programme file (YAML) as written by “Export programme”."))


@admin.register(Workshop)
class WorkshopAdmin(TranslationsAdminMixin, admin.ModelAdmin):
    list_display = ["title", "slug", "reference_timezone", "first_session", "is_published"]
    list_filter = ["is_published", "organizers"]
    search_fields = ["title", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["organizers", "facilitators"]
    inlines = [CohortInline, SessionInline, FocalPointInline]
    actions = ["export_programme", "copy_as_new_run"]
    fieldsets = [
        (None, {"fields": ["title", "subtitle", "slug", "organizers", "is_published"]}),
        (
            _("Delivery"),
            {
                "fields": [
                    "platform",
                    "language",
                    "additional_languages",
                    "reference_timezone",
                    "reference_timezone_label",
                    "facilitators",
                ]
            },
        ),
        (
            _("Concept note"),
            {
                "classes": ["collapse"],
                "fields": [
                    "background",
                    "thematic_focus",
                    "objectives_intro",
                    "objectives",
                    "format",
                    "key_features",
                    "target_audience",
                    "expected_results",
                ],
            },
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("sessions__occurrences")

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "additional_languages":  # ticked, not typed as JSON
            return forms.TypedMultipleChoiceField(
                label=db_field.verbose_name,
                help_text=db_field.help_text,
                choices=settings.LANGUAGES,
                widget=forms.CheckboxSelectMultiple,
                required=False,
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "facilitators":
            kwargs["queryset"] = selectors.facilitator_candidates()
            kwargs["help_text"] = _(
                "Staff, speakers, people who already facilitate and accounts that are not enrolled as participants."
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    @admin.display(description=_("First session"))
    def first_session(self, obj):
        starts = [o.starts_at for s in obj.sessions.all() for o in s.occurrences.all()]
        return timefmt.admin_reference(min(starts), obj) if starts else "—"

    @admin.action(description=_("Export programme (YAML)"))
    def export_programme(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, gettext("Export one workshop at a time."), messages.WARNING)
            return None
        workshop = queryset.get()
        response = HttpResponse(
            dump_document(selectors.export_programme(workshop)),
            content_type="application/yaml; charset=utf-8",
        )
        attachment(response, f"{workshop.slug}.yaml")
        return response

    @admin.action(description=_("Copy as a new run (dates shifted)"))
    def copy_as_new_run(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, gettext("Copy one workshop at a time."), messages.WARNING)
            return None
        workshop = queryset.get()
        if "apply" in request.POST:
            form = CopyRunForm(request.POST)
            if form.is_valid():
                try:
                    copy = services.copy_as_new_run(workshop, **form.cleaned_data)
                except ProgrammeError as exc:
                    form.add_error(None, str(exc))
                else:
                    self.message_user(
                        request,
                        gettext("Created “%(workshop)s” with every date moved.") % {"workshop": copy},
                        messages.SUCCESS,
                    )
                    return redirect(reverse("admin:sessions_app_workshop_change", args=[copy.pk]))
        else:
            form = CopyRunForm(
                initial={
                    "title": gettext("%(title)s (new run)") % {"title": workshop.title},
                    "slug": slugify(f"{workshop.slug}-copy"),
                }
            )
        return render(
            request,
            "admin/sessions_app/copy_run.html",
            {
                **self.admin_site.each_context(request),
                "form": form,
                "workshop": workshop,
                "title": gettext("Copy as a new run"),
            },
        )

    def get_urls(self):
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="sessions_app_workshop_import",
            )
        ] + super().get_urls()

    def import_view(self, request):
        if not self.has_add_permission(request):
            return redirect("admin:index")
        form = ImportProgrammeForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                raw = form.cleaned_data["file"].read().decode("utf-8")
                workshop = services.import_programme(parse_document(raw))
            except UnicodeDecodeError:
                form.add_error("file", gettext("The file is not UTF-8 text."))
            except ProgrammeError as exc:
                form.add_error("file", gettext("Nothing was imported. %(problem)s") % {"problem": exc})
            else:
                self.message_user(
                    request, gettext("Imported “%(workshop)s”.") % {"workshop": workshop}, messages.SUCCESS
                )
                return redirect(reverse("admin:sessions_app_workshop_change", args=[workshop.pk]))
        return render(
            request,
            "admin/sessions_app/import_programme.html",
            {**self.admin_site.each_context(request), "form": form, "title": "Import a programme"},
        )


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["short_name", "name"]
    search_fields = ["short_name", "name"]


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    list_display = ["name", "workshop", "capacity", "seats_per_country", "meeting_link"]
    list_filter = ["workshop"]
    search_fields = ["name", "workshop__title"]
    list_select_related = ["workshop"]


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    fields = [
        "clock_time",
        "offset_minutes",
        "duration_minutes",
        "kind",
        "title",
        "breakout_rooms",
        "team_formation",
    ]
    readonly_fields = ["clock_time"]
    extra = 0
    show_change_link = True
    ordering = ["offset_minutes"]

    @admin.display(description=_("Clock time"))
    def clock_time(self, obj):
        if not obj.pk:
            return "—"
        start = getattr(self, "_start", None)
        if start is None:
            return f"+{obj.offset_minutes} min"
        return f"{(start + timedelta(minutes=obj.offset_minutes)).astimezone(obj.session.workshop.tz):%H:%M}"

    def get_formset(self, request, obj=None, **kwargs):
        self._start = selectors.session_start_clock(obj) if obj else None
        return super().get_formset(request, obj, **kwargs)


class PreparationTaskInline(admin.StackedInline):
    model = PreparationTask
    fk_name = "session"
    fields = [
        ("title", "order"),
        ("kind", "performed_by", "deliverable", "is_optional"),
        ("due_session", "due_days_before"),
    ]
    extra = 0
    show_change_link = True


class OccurrenceInline(ReferenceZoneMixin, admin.TabularInline):
    model = SessionOccurrence
    fields = ["cohort", "starts_at", "ends_at", "meeting_link"]
    extra = 0


@admin.register(Session)
class SessionAdmin(TranslationsAdminMixin, ReferenceZoneAdmin):
    list_display = ["__str__", "workshop", "number"]
    list_filter = ["workshop"]
    search_fields = ["title", "workshop__title"]
    list_select_related = ["workshop"]
    inlines = [OccurrenceInline, AgendaItemInline, PreparationTaskInline]

    def reference_workshop(self, request, object_id):
        if object_id:
            session = Session.objects.select_related("workshop").filter(pk=object_id).first()
            return session.workshop if session else None
        chosen = request.POST.get("workshop") or request.GET.get("workshop")
        return Workshop.objects.filter(pk=chosen).first() if chosen and str(chosen).isdigit() else None

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        occurrences = form.instance.occurrences.select_related("cohort", "session__workshop").order_by("starts_at")
        self.report_times(request, occurrences)


@admin.register(SessionOccurrence)
class SessionOccurrenceAdmin(ReferenceZoneAdmin):
    list_display = ["session_label", "cohort", "starts_reference", "ends_reference", "join_link"]
    list_filter = ["session__workshop", "cohort", "session__number"]
    search_fields = ["session__title", "cohort__name"]
    list_select_related = ["session__workshop", "cohort__workshop"]
    date_hierarchy = "starts_at"

    def reference_workshop(self, request, object_id):
        if object_id:
            occurrence = SessionOccurrence.objects.select_related("session__workshop").filter(pk=object_id).first()
            return occurrence.session.workshop if occurrence else None
        chosen = request.POST.get("session") or request.GET.get("session")
        if chosen and str(chosen).isdigit():
            session = Session.objects.select_related("workshop").filter(pk=chosen).first()
            return session.workshop if session else None
        return None

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        self.report_times(request, [obj])

    @admin.display(description=_("Session"), ordering="session__number")
    def session_label(self, obj):
        return gettext("Session %(number)s: %(title)s") % {
            "number": obj.session.number,
            "title": obj.session.title[:60],
        }

    @admin.display(description=_("Starts (reference zone)"), ordering="starts_at")
    def starts_reference(self, obj):
        return timefmt.admin_reference(obj.starts_at, obj.session.workshop)

    @admin.display(description=_("Ends (reference zone)"))
    def ends_reference(self, obj):
        return timefmt.admin_reference(obj.ends_at, obj.session.workshop)


class AgendaItemSpeakerInline(admin.TabularInline):
    model = AgendaItemSpeaker
    extra = 0
    autocomplete_fields = ["speaker", "organization"]


@admin.register(AgendaItem)
class AgendaItemAdmin(TranslationsAdminMixin, admin.ModelAdmin):
    list_display = ["title", "session", "offset_minutes", "duration_minutes", "kind"]
    list_filter = ["session__workshop", "kind", "session__number"]
    search_fields = ["title", "description"]
    list_select_related = ["session"]
    inlines = [AgendaItemSpeakerInline]


@admin.register(Speaker)
class SpeakerAdmin(admin.ModelAdmin):
    list_display = ["display_name", "position", "organization", "email"]
    list_filter = ["organization"]
    search_fields = ["name", "position", "email"]
    list_select_related = ["organization"]
    prepopulated_fields = {"key": ["name"]}


@admin.register(FocalPoint)
class FocalPointAdmin(admin.ModelAdmin):
    list_display = ["name", "organization", "role", "email", "workshop"]
    list_filter = ["workshop", "organization"]
    search_fields = ["name", "email"]
    list_select_related = ["organization", "workshop"]


class ResourceInline(admin.TabularInline):
    model = Resource
    extra = 0


@admin.register(PreparationTask)
class PreparationTaskAdmin(TranslationsAdminMixin, admin.ModelAdmin):
    list_display = ["title", "session", "kind", "performed_by", "deliverable", "due_rule", "is_optional"]
    list_filter = ["session__workshop", "kind", "performed_by", "deliverable", "is_optional"]
    search_fields = ["title", "instructions"]
    list_select_related = ["session", "due_session"]
    inlines = [ResourceInline]

    @admin.display(description=_("Due"))
    def due_rule(self, obj):
        return obj.due_rule_text()
