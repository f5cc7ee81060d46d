from django.contrib import admin, messages
from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, OuterRef, Q
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from common import timefmt
from sessions_app.admin_lists import SubqueryCount

from . import services
from .models import (
    Answer,
    AssessmentRun,
    CountryAnswer,
    CountryAssessment,
    Dimension,
    GroupViewRelease,
    IndividualAssessment,
    Instrument,
    ScaleLevel,
    Statement,
    Status,
)

FROZEN_HELP = _(
    "Once anyone has answered a version, it is frozen: answers must keep meaning what their respondents read. "
    "To change the wording, use “Make a new version”: it copies this version as the next one, which you can "
    "edit freely until someone answers it. Workshops keep the version they use until you choose another one on "
    "their assessment run (possible only before anyone has answered there)."
)


def _answered_instruments():
    return ExpressionWrapper(
        Q(Exists(Answer.objects.filter(statement__dimension__instrument=OuterRef("pk"))))
        | Q(Exists(CountryAnswer.objects.filter(statement__dimension__instrument=OuterRef("pk")))),
        output_field=BooleanField(),
    )


class FrozenInstrumentMixin:
    """Parts of an instrument that has answers are read-only (see FROZEN_HELP)."""

    def instrument_of(self, obj):
        raise NotImplementedError

    def _frozen(self, obj) -> bool:
        return obj is not None and self.instrument_of(obj).has_answers()

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not self._frozen(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not self._frozen(obj)


class FrozenInlineMixin(FrozenInstrumentMixin):
    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and not self._frozen(obj)


class ScaleLevelInline(FrozenInlineMixin, admin.TabularInline):
    model = ScaleLevel
    extra = 0
    max_num = 5

    def instrument_of(self, obj):
        return obj


class DimensionInline(FrozenInlineMixin, admin.TabularInline):
    model = Dimension
    extra = 0
    fields = ["order", "name", "description", "statement_count"]
    readonly_fields = ["statement_count"]
    show_change_link = True

    def instrument_of(self, obj):
        return obj

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_statements=Count("statements"))

    @admin.display(description=_("Statements"))
    def statement_count(self, obj):
        return getattr(obj, "n_statements", None) if obj.pk else "—"


@admin.register(Instrument)
class InstrumentAdmin(FrozenInstrumentMixin, admin.ModelAdmin):
    list_display = ["name", "key", "version", "dimension_count", "statement_count", "state", "run_count", "created_at"]
    list_filter = ["key"]
    search_fields = ["name", "key", "dimensions__statements__text"]
    inlines = [ScaleLevelInline, DimensionInline]
    readonly_fields = ["versioning", "previous_version"]
    actions = ["make_new_version"]
    change_form_template = "admin/assessments/instrument/change_form.html"
    fieldsets = [
        (None, {"fields": ["name", "key", "version", "dont_know_label"]}),
        (_("Shown to respondents"), {"fields": ["introduction", "adapted_from"]}),
        (_("Versions"), {"fields": ["versioning", "previous_version"], "description": FROZEN_HELP}),
    ]

    def instrument_of(self, obj):
        return obj

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                n_dimensions=Count("dimensions", distinct=True),
                n_statements=Count("dimensions__statements", distinct=True),
                n_runs=Count("runs", distinct=True),
                answered=_answered_instruments(),
            )
        )

    @admin.display(description=_("Dimensions"), ordering="n_dimensions")
    def dimension_count(self, obj):
        return obj.n_dimensions

    @admin.display(description=_("Statements"), ordering="n_statements")
    def statement_count(self, obj):
        return obj.n_statements

    @admin.display(description=_("Workshops"), ordering="n_runs")
    def run_count(self, obj):
        return obj.n_runs

    @admin.display(description=_("State"))
    def state(self, obj):
        return _("Frozen (has answers)") if obj.answered else _("Editable")

    @admin.display(description=_("This version"))
    def versioning(self, obj):
        if obj is None or not obj.pk:
            return _("New: editable until someone answers it.")
        if obj.has_answers():
            return format_html(
                _(
                    "<strong>Frozen</strong>: version {} has answers and can no longer be changed. "
                    "Use “Make a new version” (top right) to edit a copy."
                ),
                obj.version,
            )
        return _("Editable: nobody has answered this version yet.")

    @admin.action(description=_("Make a new version (an editable copy)"))
    def make_new_version(self, request, queryset):
        for instrument in queryset:
            copy = services.new_version(instrument)
            self.message_user(
                request,
                _("Created version %(version)s of “%(name)s”.") % {"version": copy.version, "name": copy.name},
                messages.SUCCESS,
            )

    def get_urls(self):
        return [
            path(
                "<path:object_id>/new-version/",
                self.admin_site.admin_view(self.new_version_view),
                name="assessments_instrument_new_version",
            )
        ] + super().get_urls()

    def new_version_view(self, request, object_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_add_permission(request):
            return redirect("admin:index")
        instrument = get_object_or_404(Instrument, pk=object_id)
        copy = services.new_version(instrument)
        self.message_user(
            request,
            _(
                "Version %(copy)s is an editable copy of version %(version)s. "
                "Choose it on a workshop's assessment run to use it there."
            )
            % {"copy": copy.version, "version": instrument.version},
            messages.SUCCESS,
        )
        return redirect(reverse("admin:assessments_instrument_change", args=[copy.pk]))


class StatementInline(FrozenInlineMixin, admin.TabularInline):
    model = Statement
    extra = 0
    fields = ["order", "text"]

    def instrument_of(self, obj):
        return obj.instrument


@admin.register(Dimension)
class DimensionAdmin(FrozenInstrumentMixin, admin.ModelAdmin):
    list_display = ["name", "instrument", "order", "statement_count"]
    list_filter = ["instrument"]
    search_fields = ["name", "description", "statements__text"]
    list_select_related = ["instrument"]
    inlines = [StatementInline]

    def instrument_of(self, obj):
        return obj.instrument

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_statements=Count("statements"))

    @admin.display(description=_("Statements"), ordering="n_statements")
    def statement_count(self, obj):
        return obj.n_statements


@admin.register(Statement)
class StatementAdmin(FrozenInstrumentMixin, admin.ModelAdmin):
    list_display = ["text", "dimension", "instrument", "order"]
    list_filter = ["dimension__instrument", "dimension__name"]
    search_fields = ["text", "dimension__name"]
    list_select_related = ["dimension__instrument"]

    def instrument_of(self, obj):
        return obj.dimension.instrument

    @admin.display(description=_("Instrument"), ordering="dimension__instrument")
    def instrument(self, obj):
        return obj.dimension.instrument


@admin.register(ScaleLevel)
class ScaleLevelAdmin(FrozenInstrumentMixin, admin.ModelAdmin):
    list_display = ["value", "label", "instrument"]
    list_filter = ["instrument"]
    search_fields = ["label", "description"]
    list_select_related = ["instrument"]

    def instrument_of(self, obj):
        return obj.instrument


class GroupViewReleaseInline(admin.TabularInline):
    model = GroupViewRelease
    extra = 0
    fields = ["cohort", "released_at", "released_by"]
    readonly_fields = ["released_at", "released_by"]


def _of_run(model):
    return model.objects.filter(run=OuterRef("pk")).order_by().values("pk")


@admin.register(AssessmentRun)
class AssessmentRunAdmin(admin.ModelAdmin):
    list_display = ["workshop", "instrument", "started", "submitted", "agreed", "groups_shown"]
    list_filter = ["instrument"]
    search_fields = ["workshop__title", "workshop__slug"]
    list_select_related = ["workshop", "instrument"]
    inlines = [GroupViewReleaseInline]
    fields = ["workshop", "instrument"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                n_started=SubqueryCount(_of_run(IndividualAssessment)),
                n_submitted=SubqueryCount(_of_run(IndividualAssessment).filter(status=Status.SUBMITTED)),
                n_agreed=SubqueryCount(_of_run(CountryAssessment).filter(status=Status.SUBMITTED)),
                n_shown=SubqueryCount(_of_run(GroupViewRelease)),
            )
        )

    def get_readonly_fields(self, request, obj=None):
        # The workshop of a run never changes; its instrument only until someone answers.
        return ["workshop"] if obj is not None else []

    @admin.display(description=_("Started"), ordering="n_started")
    def started(self, obj):
        return obj.n_started

    @admin.display(description=_("Submitted"), ordering="n_submitted")
    def submitted(self, obj):
        return obj.n_submitted

    @admin.display(description=_("Countries agreed"), ordering="n_agreed")
    def agreed(self, obj):
        return obj.n_agreed

    @admin.display(description=_("Groups shown the comparison"), ordering="n_shown")
    def groups_shown(self, obj):
        return obj.n_shown


@admin.register(GroupViewRelease)
class GroupViewReleaseAdmin(admin.ModelAdmin):
    list_display = ["cohort", "run", "released_at", "released_by"]
    list_filter = ["run__workshop", "cohort"]
    search_fields = ["cohort__name", "run__workshop__title"]
    list_select_related = ["cohort__workshop", "run__workshop", "run__instrument", "released_by"]


class ReadOnlyAnswerInline(admin.TabularInline):
    extra = 0
    can_delete = False
    fields = ["statement", "score", "dont_know", "confidence", "note", "updated_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("statement__dimension")


class AnswerInline(ReadOnlyAnswerInline):
    model = Answer


class CountryAnswerInline(ReadOnlyAnswerInline):
    model = CountryAnswer
    fields = [*ReadOnlyAnswerInline.fields, "edited_by"]
    readonly_fields = fields


@admin.register(IndividualAssessment)
class IndividualAssessmentAdmin(admin.ModelAdmin):
    list_display = ["participant", "country", "group", "status", "is_late", "submitted", "answered", "reopened_at"]
    show_full_result_count = False  # no count of every row across all workshops
    list_filter = ["run__workshop", "status", "is_late", "participant__cohort", "participant__country"]
    search_fields = ["participant__user__email", "participant__user__first_name", "participant__user__last_name"]
    list_select_related = ["participant__user", "participant__country", "participant__cohort", "run__workshop"]
    readonly_fields = ["status", "started_at", "updated_at", "submitted_at", "is_late", "reopened_at", "reopened_by"]
    raw_id_fields = ["participant"]
    inlines = [AnswerInline]
    actions = ["reopen"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                n_answered=SubqueryCount(
                    Answer.objects.filter(Q(score__isnull=False) | Q(dont_know=True), assessment=OuterRef("pk"))
                    .order_by()
                    .values("pk")
                )
            )
        )

    @admin.display(description=_("Country"), ordering="participant__country__name")
    def country(self, obj):
        return obj.participant.country

    @admin.display(description=_("Group"), ordering="participant__cohort__name")
    def group(self, obj):
        return obj.participant.cohort.name

    @admin.display(description=_("Submitted"), ordering="submitted_at")
    def submitted(self, obj):
        return timefmt.admin_reference(obj.submitted_at, obj.run.workshop)

    @admin.display(description=_("Answered"), ordering="n_answered")
    def answered(self, obj):
        return obj.n_answered

    @admin.action(description=_("Reopen for changes (unlock the submitted assessment)"))
    def reopen(self, request, queryset):
        reopened = sum(services.reopen_individual(assessment, by=request.user) for assessment in queryset)
        self.message_user(
            request,
            ngettext(
                "Reopened %(count)s assessment; its author can change and submit it again. "
                "Drafts were left as they were.",
                "Reopened %(count)s assessments; their authors can change and submit them again. "
                "Drafts were left as they were.",
                reopened,
            )
            % {"count": reopened},
            messages.SUCCESS,
        )


@admin.register(CountryAssessment)
class CountryAssessmentAdmin(admin.ModelAdmin):
    list_display = ["country", "cohort", "run", "status", "is_late", "submitted", "submitted_by", "last_edited_by"]
    list_filter = ["run__workshop", "status", "is_late", "cohort", "country"]
    search_fields = ["country__name", "cohort__name"]
    list_select_related = [
        "country",
        "cohort__workshop",
        "run__workshop",
        "run__instrument",
        "submitted_by",
        "last_edited_by",
    ]
    readonly_fields = [
        "status",
        "created_at",
        "last_edited_at",
        "last_edited_by",
        "submitted_at",
        "submitted_by",
        "is_late",
        "reopened_at",
        "reopened_by",
    ]
    inlines = [CountryAnswerInline]
    actions = ["reopen"]

    @admin.display(description=_("Submitted"), ordering="submitted_at")
    def submitted(self, obj):
        return timefmt.admin_reference(obj.submitted_at, obj.run.workshop)

    @admin.action(description=_("Reopen for changes (unlock the submitted country assessment)"))
    def reopen(self, request, queryset):
        reopened = sum(services.reopen_country(assessment, by=request.user) for assessment in queryset)
        self.message_user(
            request,
            ngettext(
                "Reopened %(count)s country assessment; the team can change and submit it again.",
                "Reopened %(count)s country assessments; the teams can change and submit them again.",
                reopened,
            )
            % {"count": reopened},
            messages.SUCCESS,
        )


@admin.register(Answer)
class AnswerAdmin(admin.ModelAdmin):
    list_display = ["assessment", "statement", "score", "dont_know", "confidence", "updated_at"]
    show_full_result_count = False  # no count of every row across all workshops
    list_filter = ["assessment__run__workshop", "dont_know", "confidence", "statement__dimension__name"]
    # By person (an index leads to their answers); statements through the dimension filter, never a text scan.
    search_fields = ["assessment__participant__user__email", "assessment__participant__user__last_name"]
    list_select_related = ["assessment__participant__user", "statement__dimension"]
    raw_id_fields = ["assessment", "statement"]
    ordering = ["assessment_id", "statement_id"]  # the unique index (ids, not the related models' orderings)


@admin.register(CountryAnswer)
class CountryAnswerAdmin(admin.ModelAdmin):
    list_display = ["country_assessment", "statement", "score", "dont_know", "confidence", "edited_by", "updated_at"]
    show_full_result_count = False  # no count of every row across all workshops
    list_filter = ["country_assessment__run__workshop", "dont_know", "confidence", "statement__dimension__name"]
    search_fields = ["country_assessment__country__name"]  # by country: an index leads to the team's answers
    list_select_related = [
        "country_assessment__country",
        "country_assessment__cohort",
        "statement__dimension",
        "edited_by",
    ]
    raw_id_fields = ["country_assessment", "statement", "edited_by"]
    ordering = ["country_assessment_id", "statement_id"]  # the unique index, not a sort of every answer
