from django import forms
from django.contrib import admin, messages
from django.db.models import Count, OuterRef
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from common import timefmt
from common.admin_translations import TranslationsAdminMixin
from sessions_app.admin_lists import SubqueryCount
from sessions_app.models import Workshop

from . import services
from .models import (
    Answer,
    Completion,
    EvaluationForm,
    EvaluationTemplate,
    FormQuestion,
    Response,
    TemplateQuestion,
    TemplateSection,
)

# --- templates ---------------------------------------------------------------------------------------------------


class TemplateSectionInline(admin.TabularInline):
    model = TemplateSection
    fields = ["order", "title", "intro", "question_count"]
    readonly_fields = ["question_count"]
    extra = 0
    show_change_link = True

    @admin.display(description=_("Questions"))
    def question_count(self, obj):
        return obj.questions.count() if obj.pk else "—"


@admin.register(EvaluationTemplate)
class EvaluationTemplateAdmin(TranslationsAdminMixin, admin.ModelAdmin):
    list_display = ["name", "key", "kind", "is_default", "is_anonymous", "open_days", "question_total", "form_total"]
    list_filter = ["kind", "is_default", "is_anonymous"]
    search_fields = ["name", "key", "intro"]
    prepopulated_fields = {"key": ["name"]}
    inlines = [TemplateSectionInline]
    readonly_fields = ["questionnaire", "updated_at"]
    fields = ["name", "key", "kind", "is_default", "is_anonymous", "open_days", "intro", "questionnaire", "updated_at"]
    actions = ["duplicate"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(question_total=Count("questions", distinct=True), form_total=Count("forms", distinct=True))
        )

    @admin.display(description=_("Questions"), ordering="question_total")
    def question_total(self, obj):
        return obj.question_total

    @admin.display(description=_("Forms made from it"), ordering="form_total")
    def form_total(self, obj):
        return obj.form_total

    @admin.display(description=_("The questionnaire as participants see it"))
    def questionnaire(self, obj):
        if not obj.pk:
            return _("Save the template, then add sections and their questions.")
        parts = []
        for section in obj.sections.prefetch_related("questions"):
            items = format_html_join(
                "",
                "<li>{} <small>({}{})</small></li>",
                (
                    (q.text, q.get_kind_display(), "" if q.required else ", " + str(_("optional")))
                    for q in section.questions.all()
                ),
            )
            parts.append(format_html("<p><strong>{}</strong></p><ol>{}</ol>", section.title, items))
        note = _("Editing the template changes forms made from now on; forms already made keep their questions.")
        return format_html("{}<p><em>{}</em></p>", format_html_join("", "{}", ((p,) for p in parts)), note)

    @admin.action(description=_("Duplicate the selected templates"))
    def duplicate(self, request, queryset):
        for template in queryset:
            copy = services.duplicate_template(template)
            self.message_user(
                request, _("Created “%(copy)s” (key %(key)s).") % {"copy": copy, "key": copy.key}, messages.SUCCESS
            )


class TemplateQuestionInline(admin.StackedInline):
    model = TemplateQuestion
    fields = [("order", "key", "kind", "required"), "text", "help_text", ("choices", "scale_labels")]
    extra = 0


@admin.register(TemplateSection)
class TemplateSectionAdmin(TranslationsAdminMixin, admin.ModelAdmin):
    list_display = ["title", "template", "order"]
    list_filter = ["template"]
    search_fields = ["title", "template__name"]
    list_select_related = ["template"]
    inlines = [TemplateQuestionInline]


@admin.register(TemplateQuestion)
class TemplateQuestionAdmin(TranslationsAdminMixin, admin.ModelAdmin):
    list_display = ["text", "key", "kind", "required", "section", "template"]
    list_filter = ["template", "kind", "required"]
    search_fields = ["text", "key"]
    list_select_related = ["section__template", "template"]
    fields = ["section", ("order", "key", "kind", "required"), "text", "help_text", ("choices", "scale_labels")]


# --- forms -------------------------------------------------------------------------------------------------------


class FormQuestionInline(admin.TabularInline):
    model = FormQuestion
    fields = ["order", "section_title", "key", "text", "kind", "required", "choices", "scale_labels"]
    extra = 0

    def _answered(self, obj) -> bool:
        return bool(obj and obj.pk and (obj.responses.exists() or obj.completions.exists()))

    # Once someone has answered, the questions are what they answered: nobody may change them any more.
    def has_add_permission(self, request, obj=None):
        return not self._answered(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not self._answered(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._answered(obj) and super().has_delete_permission(request, obj)


class EnsureFormsForm(forms.Form):
    workshop = forms.ModelChoiceField(queryset=Workshop.objects.order_by("-created_at"))


@admin.register(EvaluationForm)
class EvaluationFormAdmin(TranslationsAdminMixin, admin.ModelAdmin):
    list_display = ["title", "cohort", "kind", "is_anonymous", "opens", "closes", "status", "answered"]
    list_filter = ["cohort__workshop", "cohort", "kind", "is_anonymous", "follows_schedule"]
    search_fields = ["title", "cohort__name", "cohort__workshop__title"]
    list_select_related = ["cohort__workshop"]
    raw_id_fields = ["occurrence"]
    readonly_fields = ["closes_at", "created_at"]
    fields = [
        ("cohort", "kind", "occurrence"),
        "template",
        "title",
        "intro",
        "is_anonymous",
        ("opens_at", "open_days", "closes_at"),
        "follows_schedule",
        "created_at",
    ]
    inlines = [FormQuestionInline]
    actions = ["open_now", "reload_questions"]
    ordering = ["cohort__workshop", "cohort__name", "-kind", "occurrence__starts_at"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(answered_total=Count("completions", distinct=True))

    @admin.display(description=_("Opens"), ordering="opens_at")
    def opens(self, obj):
        return timefmt.admin_reference(obj.opens_at, obj.cohort.workshop)

    @admin.display(description=_("Closes"), ordering="closes_at")
    def closes(self, obj):
        return timefmt.admin_reference(obj.closes_at, obj.cohort.workshop)

    @admin.display(description=_("Status"))
    def status(self, obj):
        return EvaluationForm.Status(obj.status()).label

    @admin.display(description=_("Answered"), ordering="answered_total")
    def answered(self, obj):
        return obj.answered_total

    def save_model(self, request, obj, form, change):
        # A date typed by hand wins over the schedule, unless the organizer also ticked "follows schedule".
        if "opens_at" in form.changed_data and "follows_schedule" not in form.changed_data:
            obj.follows_schedule = False
        super().save_model(request, obj, form, change)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and (obj.responses.exists() or obj.completions.exists()):
            fields += ["is_anonymous", "kind", "occurrence", "cohort"]
        return fields

    @admin.action(description=_("Open now (or reopen) for their number of days"))
    def open_now(self, request, queryset):
        for form in queryset.select_related("cohort"):
            try:
                services.open_now(form)
            except services.EvaluationError as exc:
                self.message_user(
                    request, _("%(form)s: %(problem)s") % {"form": form, "problem": exc}, messages.WARNING
                )
            else:
                self.message_user(request, _("Opened “%(form)s”.") % {"form": form}, messages.SUCCESS)

    @admin.action(description=_("Copy the questions from the template again (forms nobody has answered)"))
    def reload_questions(self, request, queryset):
        for form in queryset:
            try:
                services.reload_questions(form)
            except services.EvaluationError as exc:
                self.message_user(request, str(exc), messages.WARNING)
            else:
                self.message_user(
                    request,
                    _("Questions of “%(form)s” copied again from its template.") % {"form": form},
                    messages.SUCCESS,
                )

    def get_urls(self):
        return [
            path(
                "create-missing/",
                self.admin_site.admin_view(self.ensure_view),
                name="evaluations_evaluationform_ensure",
            )
        ] + super().get_urls()

    def ensure_view(self, request):
        if not self.has_add_permission(request):
            return redirect("admin:index")
        form = EnsureFormsForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            workshop = form.cleaned_data["workshop"]
            result = services.ensure_forms(workshop)
            level = messages.WARNING if result.missing_templates else messages.SUCCESS
            self.message_user(
                request, _("%(workshop)s: %(summary)s.") % {"workshop": workshop, "summary": result.summary()}, level
            )
            url = reverse("admin:evaluations_evaluationform_changelist")
            return redirect(f"{url}?cohort__workshop__id__exact={workshop.pk}")
        return render(
            request,
            "admin/evaluations/ensure_forms.html",
            {**self.admin_site.each_context(request), "form": form, "title": "Create missing evaluation forms"},
        )


@admin.register(FormQuestion)
class FormQuestionAdmin(admin.ModelAdmin):
    list_display = ["text", "key", "kind", "required", "form"]
    list_filter = ["form__cohort__workshop", "kind"]
    search_fields = ["text", "key", "form__title"]
    list_select_related = ["form__cohort"]
    raw_id_fields = ["form"]


# --- responses ---------------------------------------------------------------------------------------------------


class AnswerInline(admin.TabularInline):
    model = Answer
    fields = ["question", "rating", "choice", "text"]
    extra = 0

    def get_extra(self, request, obj=None, **kwargs):
        return 0 if obj else 8

    # Answers given online are evidence: they are shown, not edited. A response typed in from paper can be added.
    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return obj is None and super().has_delete_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        return obj is None and super().has_add_permission(request, obj)


@admin.register(Response)
class ResponseAdmin(admin.ModelAdmin):
    """Responses have no person and no date on them; named forms show theirs through the completion.

    Listed by their random key, never by arrival, so the list order says nothing about who answered when.
    """

    list_display = ["short_id", "form", "answer_total"]
    show_full_result_count = False  # no count of every row across all workshops
    list_filter = ["form__cohort__workshop", "form__kind", "form__is_anonymous", "form"]
    search_fields = ["form__title"]  # answers' texts are searched in the answers' list
    list_select_related = ["form__cohort"]
    raw_id_fields = ["form"]
    inlines = [AnswerInline]
    ordering = ["form_id", "id"]  # the (form, id) index

    def get_queryset(self, request):
        answers = Answer.objects.filter(response=OuterRef("pk")).order_by().values("pk")
        return super().get_queryset(request).annotate(answer_total=SubqueryCount(answers))

    def get_readonly_fields(self, request, obj=None):
        return ["form"] if obj else []

    @admin.display(description=_("Response"), ordering="id")
    def short_id(self, obj):
        return str(obj.pk)[:8]

    @admin.display(description=_("Answers"), ordering="answer_total")
    def answer_total(self, obj):
        return obj.answer_total


@admin.register(Answer)
class AnswerAdmin(admin.ModelAdmin):
    list_display = ["question", "display_value", "response"]
    show_full_result_count = False  # no count of every row across all workshops
    list_filter = ["question__form__cohort__workshop", "question__kind"]
    search_fields = ["text", "choice", "question__text"]
    list_select_related = ["question", "response__form"]
    raw_id_fields = ["response", "question"]
    ordering = ["question_id", "id"]  # the (question, id) index, not a sort of every answer

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)


@admin.register(Completion)
class CompletionAdmin(admin.ModelAdmin):
    """Who has answered which form — never when. Add one by hand for someone who answered on paper, so nobody
    reminds them. Listed by form and name, never by arrival."""

    list_display = ["participant", "form", "named_response"]
    show_full_result_count = False  # no count of every row across all workshops
    list_filter = ["form__cohort__workshop", "form__cohort", "form"]
    search_fields = ["participant__user__email", "participant__user__first_name", "participant__user__last_name"]
    list_select_related = ["participant__user", "participant__country", "participant__cohort", "form__cohort"]
    autocomplete_fields = ["participant"]
    raw_id_fields = ["form", "response"]
    ordering = ["form", "participant__user__last_name", "participant__user__first_name", "participant"]

    @admin.display(description=_("Response"), boolean=True)
    def named_response(self, obj):
        return obj.response_id is not None
