"""Pages of SDG choices, priorities and action plans. Rules live in services and selectors."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessments.selectors import weakest_dimensions
from common.access import enrolled_required, viewer_of
from common.exports import attachment
from common.fragments import cached_page
from common.http import safe_next_url
from common.translations import export_language
from participants.access import facilitated_cohort_or_404, facilitated_workshop_or_404
from preparation import selectors as preparation

from . import exports, selectors, services
from .access import action_of_plan_or_404, member_access_or_404, plan_access_or_404, structured_task_or_404
from .forms import ActionForm, PriorityForm, ProgressForm, SdgChoiceForm
from .models import StructuredTask

Kind = StructuredTask.Kind


# --------------------------------------------------------------------------- structured preparation


@enrolled_required
def sdg_choice(request, pk):
    """Choose the SDG for the Session 1 presentation and write the one-minute note."""
    participation = request.participation
    task = structured_task_or_404(viewer_of(request), pk, Kind.SDG_CHOICE)
    row = preparation.task_rows(participation, task)[0]
    choice = selectors.sdg_choice_of(task, participation)
    here = reverse("preparation:task", args=[task.pk])
    form = SdgChoiceForm(request.POST or None, initial={"sdg": choice.sdg_id, "note": choice.note} if choice else None)
    if request.method == "POST" and form.is_valid():
        try:
            choice = services.choose_sdg(
                task, participation, sdg=form.cleaned_data["sdg"], note=form.cleaned_data["note"]
            )
        except services.ActionPlanRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("Your SDG for Session %(number)s is saved: %(sdg)s.")
                % {"number": task.session.number, "sdg": choice.sdg},
            )
            return redirect(safe_next_url(request, here))
    return render(
        request,
        "action_plans/sdg_choice.html",
        {"task": task, "row": row, "choice": choice, "form": form, "workshop": participation.cohort.workshop},
        status=400 if request.method == "POST" else 200,
    )


@enrolled_required
def priorities(request, pk):
    """The country team's National Development Plan priorities (at most four) for the Session 3 task."""
    participation = request.participation
    task = structured_task_or_404(viewer_of(request), pk, Kind.NDP_PRIORITIES)
    items = selectors.team_priorities(task, participation.cohort_id, participation.country_id)
    here = reverse("action_plans:priorities", args=[task.pk])
    posted = request.POST.get("priority") if request.method == "POST" else None
    add_form = PriorityForm(request.POST if posted == "new" else None, prefix="new")
    for item in items:
        bound = posted == str(item.pk) and request.POST.get("action") != "remove"
        item.form = PriorityForm.for_priority(item, request.POST if bound else None)
    if request.method == "POST":
        outcome = _change_priorities(request, task, participation, items, posted, add_form)
        if outcome is not None:
            return redirect(outcome)
    row = preparation.task_rows(participation, task)[0]
    return render(
        request,
        "action_plans/priorities.html",
        {
            "task": task,
            "row": row,
            "items": items,
            "add_form": add_form,
            "can_add": len(items) < services.MAX_PRIORITIES,
            "max_priorities": services.MAX_PRIORITIES,
            "workshop": participation.cohort.workshop,
            "members": selectors.team_members(participation.cohort_id, participation.country_id),
            "here": here,
        },
        status=400 if request.method == "POST" else 200,
    )


def _change_priorities(request, task, participation, items, posted, add_form) -> str | None:
    """Apply one posted change; the page to go to, or None to show the page again with the reason."""
    here = reverse("action_plans:priorities", args=[task.pk])
    if posted == "new":
        if not add_form.is_valid():
            return None
        try:
            priority = services.add_priority(task, participation, **add_form.cleaned_data)
        except services.ActionPlanRefused as exc:
            add_form.add_error(None, str(exc))
            return None
        messages.success(
            request,
            _("Priority %(position)s added: %(title)s.") % {"position": priority.position, "title": priority.title},
        )
        return f"{here}#priority-{priority.pk}"
    item = next((i for i in items if str(i.pk) == posted), None)
    if item is None:
        messages.error(request, _("That priority no longer exists; a teammate may have removed it."))
        return here
    try:
        if request.POST.get("action") == "remove":
            services.remove_priority(item, participation)
            messages.info(request, _("“%(title)s” was removed.") % {"title": item.title})
            return here
        if not item.form.is_valid():
            return None
        services.change_priority(item, participation, **item.form.cleaned_data)
    except services.ActionPlanRefused as exc:
        if request.POST.get("action") == "remove":
            messages.error(request, str(exc))
            return f"{here}#priority-{item.pk}"
        item.form.add_error(None, str(exc))
        return None
    messages.success(request, _("“%(title)s” is saved.") % {"title": item.form.cleaned_data["title"]})
    return f"{here}#priority-{item.pk}"


# --------------------------------------------------------------------------- the plan


@enrolled_required
def my_plan(request):
    participation = request.participation
    return redirect("action_plans:plan", participation.cohort_id, participation.country.code)


def _plan_context(access, *, progress_forms=None):
    cohort, country = access.cohort, access.country
    plan = selectors.plan_of(cohort.pk, country.pk, with_schedule=True)
    actions = selectors.plan_actions(plan)
    if access.can_edit:
        progress_forms = progress_forms or {}
        for action in actions:
            action.progress_form = progress_forms.get(action.pk) or ProgressForm(
                initial={"status": action.status, "version": action.version}, prefix=f"a{action.pk}"
            )
    return {
        "access": access,
        "cohort": cohort,
        "country": country,
        "workshop": cohort.workshop,
        "plan": plan,
        "actions": actions,
        "statuses": selectors.status_counts(actions),
        "members": selectors.team_members(cohort.pk, country.pk),
        "priorities": selectors.plan_priorities(cohort.pk, country.pk),
        "weakest": weakest_dimensions(cohort, country, limit=selectors.SUGGESTED_DIMENSIONS),
        "schedule": selectors.plan_schedule(plan, cohort),
    }


@login_required
@cached_page
def plan(request, cohort_pk, country):
    access = plan_access_or_404(viewer_of(request), cohort_pk, country, to_show=True)
    return render(request, "action_plans/plan.html", _plan_context(access))


def _member_access(request, cohort_pk, country):
    # Facilitators read plans; only the team changes them.
    return member_access_or_404(viewer_of(request), cohort_pk, country)


def _plan_url(access, anchor: str = "") -> str:
    url = reverse("action_plans:plan", args=[access.cohort.pk, access.country.code])
    return f"{url}#{anchor}" if anchor else url


def _action_form_page(request, access, form, action=None, *, status=200):
    return render(
        request,
        "action_plans/action_form.html",
        {
            "access": access,
            "cohort": access.cohort,
            "country": access.country,
            "workshop": access.cohort.workshop,
            "form": form,
            "action": action,
            "suggested": form.dimension_choices.suggested,
            "plan_url": _plan_url(access),
        },
        status=status,
    )


def _action_form(access, data=None, action=None) -> ActionForm:
    dimensions = selectors.dimension_choices(
        access.cohort, access.country, keep=action.dimension if action is not None else None
    )
    return ActionForm(
        data,
        instance=action,
        dimensions=dimensions,
        priorities=selectors.plan_priorities(access.cohort.pk, access.country.pk),
    )


@login_required
def action_add(request, cohort_pk, country):
    access = _member_access(request, cohort_pk, country)
    form = _action_form(access, request.POST or None)
    if request.method == "POST" and form.is_valid():
        plan_obj = services.plan_for_team(access.cohort, access.country)
        try:
            action = services.add_action(
                plan_obj,
                access.member,
                fields=form.action_fields(),
                sdgs=form.cleaned_data["sdgs"],
                qualities=form.cleaned_data["qualities"],
            )
        except services.ActionPlanRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Action added: %(title)s.") % {"title": action.title})
            return redirect(_plan_url(access, f"action-{action.pk}"))
    return _action_form_page(request, access, form, status=400 if request.method == "POST" else 200)


@login_required
def action_edit(request, cohort_pk, country, pk):
    access = _member_access(request, cohort_pk, country)
    action = action_of_plan_or_404(selectors.plan_of(access.cohort.pk, access.country.pk), pk)
    form = _action_form(access, request.POST or None, action)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.change_action(
                action,
                access.member,
                fields=form.action_fields(),
                sdgs=form.cleaned_data["sdgs"],
                qualities=form.cleaned_data["qualities"],
                expected_version=form.cleaned_data.get("version"),
            )
        except services.ActionPlanRefused as exc:
            # Show the teammate's version beside the form, which keeps what this person typed and now carries
            # the version shown, so saving again is a deliberate choice over theirs.
            saved_now = action_of_plan_or_404(action.plan, action.pk)
            data = request.POST.copy()
            data["version"] = saved_now.version
            form = _action_form(access, data, action_of_plan_or_404(action.plan, action.pk))
            form.is_valid()
            form.add_error(None, str(exc))
            return _action_form_page(request, access, form, saved_now, status=409)
        messages.success(request, _("“%(title)s” is saved.") % {"title": saved.title})
        return redirect(_plan_url(access, f"action-{saved.pk}"))
    return _action_form_page(request, access, form, action, status=400 if request.method == "POST" else 200)


@login_required
@require_POST
def action_progress(request, cohort_pk, country, pk):
    access = _member_access(request, cohort_pk, country)
    action = action_of_plan_or_404(selectors.plan_of(access.cohort.pk, access.country.pk), pk)
    form = ProgressForm(request.POST, prefix=f"a{action.pk}")
    if form.is_valid():
        try:
            update = services.record_progress(
                action,
                access.member,
                status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
                expected_version=form.cleaned_data.get("version"),
            )
        except services.ActionPlanRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("“%(title)s”: %(status)s, saved.")
                % {"title": action.title, "status": update.get_status_display().lower()},
            )
            return redirect(_plan_url(access, f"action-{action.pk}"))
    context = _plan_context(access, progress_forms={action.pk: form})
    context["open_action"] = action.pk
    return render(request, "action_plans/plan.html", context, status=400)


@login_required
def action_delete(request, cohort_pk, country, pk):
    access = _member_access(request, cohort_pk, country)
    action = action_of_plan_or_404(selectors.plan_of(access.cohort.pk, access.country.pk), pk)
    if request.method == "POST":
        services.remove_action(action, access.member)
        messages.info(request, _("“%(title)s” was removed from the plan.") % {"title": action.title})
        return redirect(_plan_url(access))
    return render(
        request,
        "action_plans/action_delete.html",
        {"access": access, "action": action, "plan_url": _plan_url(access), "workshop": access.cohort.workshop},
    )


def _download_name(access, extension: str) -> str:
    return (
        f"action-plan-{slugify(access.country.name)}-{slugify(access.cohort.name)}-{timezone.now():%Y%m%d}.{extension}"
    )


@login_required
def plan_pdf(request, cohort_pk, country):
    access = plan_access_or_404(viewer_of(request), cohort_pk, country)
    context = _plan_context(access)
    with translation.override(export_language(request)):  # one language per file (?language=, else the reader's)
        body = exports.plan_pdf(context)
    response = HttpResponse(body, content_type="application/pdf")
    attachment(response, _download_name(access, "pdf"))
    return response


@login_required
def plan_xlsx(request, cohort_pk, country):
    access = plan_access_or_404(viewer_of(request), cohort_pk, country)
    context = _plan_context(access)
    with translation.override(export_language(request)):
        body = exports.plan_xlsx(context)
    response = HttpResponse(body, content_type=exports.XLSX_TYPE)
    attachment(response, _download_name(access, "xlsx"))
    return response


# --------------------------------------------------------------------------- facilitators


def _linked_task(request, cohort, kind):
    tasks = selectors.linked_tasks(cohort.workshop).get(kind, [])
    chosen = request.GET.get("task")
    task = next((t for t in tasks if str(t.pk) == chosen), tasks[0] if tasks else None)
    return task, tasks


@login_required
def group_sdgs(request, cohort_pk):
    cohort = facilitated_cohort_or_404(request, cohort_pk)
    task, tasks = _linked_task(request, cohort, Kind.SDG_CHOICE)
    overview = selectors.group_sdg_choices(cohort, task) if task else None
    return render(
        request,
        "action_plans/group_sdgs.html",
        {"cohort": cohort, "workshop": cohort.workshop, "task": task, "tasks": tasks, "overview": overview},
    )


@login_required
def group_priorities(request, cohort_pk):
    cohort = facilitated_cohort_or_404(request, cohort_pk)
    task, tasks = _linked_task(request, cohort, Kind.NDP_PRIORITIES)
    overview = selectors.group_priorities(cohort, task) if task else None
    return render(
        request,
        "action_plans/group_priorities.html",
        {"cohort": cohort, "workshop": cohort.workshop, "task": task, "tasks": tasks, "overview": overview},
    )


@login_required
@cached_page
def group_plans(request, cohort_pk):
    cohort = facilitated_cohort_or_404(request, cohort_pk)
    return render(
        request,
        "action_plans/group_plans.html",
        {
            "cohort": cohort,
            "workshop": cohort.workshop,
            "group": selectors.group_plans(cohort),
            "others": cohort.workshop.cohorts.exclude(pk=cohort.pk).order_by("name"),
        },
    )


@login_required
def group_plans_xlsx(request, cohort_pk):
    cohort = facilitated_cohort_or_404(request, cohort_pk)
    with translation.override(export_language(request)):
        body = exports.plans_xlsx(cohort.workshop, [selectors.group_plans(cohort)])
    response = HttpResponse(body, content_type=exports.XLSX_TYPE)
    name = f"action-plans-{slugify(cohort.workshop.slug)}-{slugify(cohort.name)}-{timezone.now():%Y%m%d}.xlsx"
    attachment(response, name)
    return response


@login_required
def workshop_plans_xlsx(request, workshop_pk):
    workshop = facilitated_workshop_or_404(request, workshop_pk)
    groups = [selectors.group_plans(cohort) for cohort in workshop.cohorts.order_by("name")]
    with translation.override(export_language(request)):
        body = exports.plans_xlsx(workshop, groups)
    response = HttpResponse(body, content_type=exports.XLSX_TYPE)
    name = f"action-plans-{slugify(workshop.slug)}-{timezone.now():%Y%m%d}.xlsx"
    attachment(response, name)
    return response


@login_required
def followup_board(request, workshop_pk):
    workshop = facilitated_workshop_or_404(request, workshop_pk)
    return render(
        request,
        "action_plans/followup_board.html",
        {"workshop": workshop, "board": selectors.followup_board(workshop)},
    )
