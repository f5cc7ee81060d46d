"""The admin as organizers use it: models grouped by the work they do, the common tasks first.

The groups below name models by their label; a model registered later and not named here still shows, in the
last group, so nothing registered ever disappears from the index.
"""

from collections import Counter

from django.contrib import admin
from django.contrib.admin.widgets import AdminSplitDateTime
from django.urls import NoReverseMatch, reverse
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

ADMIN_GROUPS = [
    (
        _("Programme"),
        [
            "sessions_app.Workshop",
            "sessions_app.SessionOccurrence",
            "sessions_app.Session",
            "sessions_app.Cohort",
            "sessions_app.AgendaItem",
            "sessions_app.PreparationTask",
            "sessions_app.Speaker",
            "sessions_app.Organization",
            "sessions_app.FocalPoint",
        ],
    ),
    (
        _("People"),
        [
            "participants.Participant",
            "participants.RosterImport",
            "participants.Team",
            "participants.User",
            "participants.Country",
            "auth.Group",
            "account.EmailAddress",
        ],
    ),
    (
        _("Assessments and evaluations"),
        [
            "preparation.Submission",
            "preparation.Extension",
            "assessments.IndividualAssessment",
            "assessments.CountryAssessment",
            "assessments.AssessmentRun",
            "assessments.GroupViewRelease",
            "evaluations.EvaluationForm",
            "evaluations.Response",
            "evaluations.Completion",
            "action_plans.ActionPlan",
            "action_plans.Action",
            "action_plans.SdgChoice",
        ],
    ),
    (
        _("Live sessions"),
        [
            "attendance.Attendance",
            "attendance.LiveSettings",
            "live.Poll",
            "live.PollRun",
            "live.Board",
            "live.Debate",
            "live.BreakoutDraw",
            "live.KeyMessages",
            "attendance.Certificate",
            "live.Idea",
            "live.PollVote",
        ],
    ),
    (
        _("Reminders and messages"),
        ["reminders.ReminderRule", "reminders.OneOffMessage", "reminders.Delivery"],
    ),
    (
        _("Instruments, templates and settings"),
        [
            "assessments.Instrument",
            "assessments.Dimension",
            "assessments.Statement",
            "assessments.ScaleLevel",
            "assessments.Answer",
            "evaluations.EvaluationTemplate",
            "evaluations.TemplateSection",
            "evaluations.TemplateQuestion",
            "evaluations.FormQuestion",
            "evaluations.Answer",
            "action_plans.StructuredTask",
            "action_plans.ActionPlanSettings",
            "action_plans.Sdg",
            "action_plans.NdpPriority",
            "action_plans.GovernancePrinciple",
            "action_plans.ServiceQuality",
            "sites.Site",
        ],
    ),
]

# What organizers do most, shown first on the index: (label, admin URL name, model whose permission it needs).
COMMON_ACTIONS = [
    (_("Import a roster of participants"), "admin:participants_participant_import", "participants.Participant"),
    (
        _("Move a session (dates and times)"),
        "admin:sessions_app_sessionoccurrence_changelist",
        "sessions_app.SessionOccurrence",
    ),
    (_("Participants and invitations"), "admin:participants_participant_changelist", "participants.Participant"),
    (_("Reminder rules"), "admin:reminders_reminderrule_changelist", "reminders.ReminderRule"),
    (_("Evaluation forms"), "admin:evaluations_evaluationform_changelist", "evaluations.EvaluationForm"),
    (_("Import a programme"), "admin:sessions_app_workshop_import", "sessions_app.Workshop"),
]


class PortalAdminSite(admin.AdminSite):
    site_header = _("Workshop Portal administration")
    site_title = _("Workshop Portal")
    index_title = _("Programmes, people and reminders")
    index_template = "admin/portal_index.html"

    def get_app_list(self, request, app_label=None):
        if app_label:  # an application's own page keeps Django's list
            return super().get_app_list(request, app_label)
        entries = {}
        for app in super().get_app_list(request):
            for model in app["models"]:
                entry = dict(model)
                # Two apps may each have e.g. "Answers": say which, and keep the element ids unique.
                entry["object_name"] = f"{app['app_label']}_{model['object_name']}"
                entry["app_name"] = app["name"]
                entries[model["model"]._meta.label] = entry
        # Names are lazy translations: compared as they are, each comparison translates both sides again (the
        # count below took 0.3 s of every admin page with 70 models). Translate each once.
        names = Counter(str(entry["name"]) for entry in entries.values())
        for entry in entries.values():
            if names[str(entry["name"])] > 1:
                entry["name"] = f"{entry['name']} ({entry['app_name']})"
        groups = []
        for title, labels in ADMIN_GROUPS:
            models = [entries.pop(label) for label in labels if label in entries]
            if models:
                groups.append(self._group(request, title, models))
        if entries:  # registered but not placed in a group: never hidden
            leftover = sorted(entries.values(), key=lambda entry: str(entry["name"]))
            if groups and str(groups[-1]["name"]) == str(ADMIN_GROUPS[-1][0]):
                groups[-1]["models"] += leftover
            else:
                groups.append(self._group(request, _("Other"), leftover))
        return groups

    def _group(self, request, title, models):
        slug = slugify(str(title))
        return {
            "name": title,
            "app_label": f"group-{slug}",
            "app_url": f"{reverse('admin:index', current_app=self.name)}#group-{slug}",
            "has_module_perms": True,
            "models": models,
        }

    def common_actions(self, request):
        from django.apps import apps

        actions = []
        for label, url_name, model_label in COMMON_ACTIONS:
            model = apps.get_model(model_label)
            opts = model._meta
            if not request.user.has_perm(f"{opts.app_label}.view_{opts.model_name}"):
                continue
            try:
                actions.append({"label": label, "url": reverse(url_name, current_app=self.name)})
            except NoReverseMatch:
                continue
        return actions

    def index(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "common_actions": self.common_actions(request)}
        return super().index(request, extra_context)


class LabelledSplitDateTime(AdminSplitDateTime):
    """The admin's date + time pair with a name on the time box too (the field's label names only the date)."""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        # Django's label for the pair points at neither box; name each after the field ("Starts at: date").
        base = (attrs or {}).get("aria-label") or name.rsplit("-", 1)[-1].replace("_", " ").capitalize()
        date_widget, time_widget = context["widget"]["subwidgets"]
        # gettext outside the f-strings: makemessages (xgettext) does not look inside them.
        date_label, time_label = gettext("date"), gettext("time")
        date_widget["attrs"]["aria-label"] = f"{base}: {date_label}"
        time_widget["attrs"]["aria-label"] = f"{base}: {time_label}"
        return context
