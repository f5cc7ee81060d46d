"""Pages of the assessment. Rules live in services and selectors; these views only connect them to requests."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.access import enrolled_required, viewer_of
from common.exports import attachment, csv_response
from common.fragments import cached_page
from common.translations import export_language, in_language, language_name, translated
from participants.access import facilitated_cohort_or_404, facilitated_workshop_or_404

from . import exports, selectors, services
from .access import may_read_individual
from .charts import RadarSeries, radar_svg
from .forms import AnswerForm, answer_forms, posted_answers
from .models import IndividualAssessment
from .scoring import score_dimensions


class NotSetUp(Exception):
    pass


def login_required_for_autosave(view):
    """Like login_required, but an htmx autosave after a timed-out sign-in gets a message in place, not a page."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            if getattr(request, "htmx", False):
                return render(request, "assessments/partials/signed_out.html", {"login_url": reverse("account_login")})
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapper


def _participant_context(request):
    participation = request.participation
    if participation is None:
        raise Http404(_("You are not enrolled in a workshop group."))
    workshop = participation.cohort.workshop
    run = services.ensure_run(workshop)
    if run is None:
        raise NotSetUp
    return participation, run, selectors.instrument_structure(run.instrument)


def _not_set_up(request):
    return render(request, "assessments/not_set_up.html")


def participant_view(view):
    """Signed in, enrolled, and the workshop's assessment set up; passes (participation, run, structure)."""

    @enrolled_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            participation, run, structure = _participant_context(request)
        except NotSetUp:
            return _not_set_up(request)
        return view(request, participation, run, structure, *args, **kwargs)

    return wrapper


def _progress(structure, answers) -> dict:
    answered = sum(1 for s in structure.statements if s.pk in answers and answers[s.pk].is_answered)
    total = structure.statement_count
    per_dimension = [
        {
            "dimension": d,
            "answered": sum(1 for s in d.statement_list if s.pk in answers and answers[s.pk].is_answered),
            "total": len(d.statement_list),
        }
        for d in structure.dimensions
    ]
    return {
        "answered": answered,
        "total": total,
        "percent": round(100 * answered / total) if total else 0,
        "dimensions": per_dimension,
    }


# --------------------------------------------------------------------------- participant: overview


@enrolled_required
@cached_page  # the navigation's DTCA link: opened again and again while nothing changed
@participant_view
def home(request, participation, run, structure):
    assessment = selectors.individual_assessment(run, participation)
    answers = selectors.answers_by_statement(assessment)
    team = selectors.team(run, participation.cohort, participation.country)
    task = selectors.assessment_task(participation.cohort.workshop)
    unanswered = {s.pk for s in selectors.unanswered_statements(structure, answers)}
    first_gap = next((d.number for d in structure.dimensions for s in d.statement_list if s.pk in unanswered), 1)
    return render(
        request,
        "assessments/home.html",
        {
            "workshop": participation.cohort.workshop,
            "run": run,
            "structure": structure,
            "assessment": assessment,
            "progress": _progress(structure, answers),
            "resume_number": first_gap,
            "team": team,
            "me": participation,
            "due_at": selectors.due_moment(participation.cohort, task=task),
            "task": task,
            "released": selectors.group_view_released(run, participation.cohort),
        },
    )


# --------------------------------------------------------------------------- participant: filling it in


@enrolled_required
@cached_page  # before the assessment's context is read: a stored page needs none of it
@participant_view
def dimension_page(request, participation, run, structure, number):
    dimension = structure.dimension_number(number)
    if dimension is None:
        raise Http404("No such page of the assessment.")
    assessment = selectors.individual_assessment(run, participation)
    if assessment is not None and assessment.is_submitted:
        messages.info(request, _("Your assessment is submitted, so it can no longer be changed."))
        return redirect("dtca:review")
    answers = selectors.answers_by_statement(assessment)
    if request.method == "POST":
        forms = answer_forms(structure, dimension.statement_list, answers, data=request.POST)
        valid, all_valid = posted_answers(forms)
        try:
            services.save_answers(run, participation, structure, valid)
        except services.Locked as exc:
            messages.error(request, str(exc))
            return redirect("dtca:review")
        if all_valid:
            return redirect(_after_save(request.POST.get("go"), number, len(structure.dimensions)))
        messages.error(request, _("Some answers could not be saved; see the notes below. The others are saved."))
        answers = selectors.answers_by_statement(selectors.individual_assessment(run, participation))
    else:
        forms = answer_forms(structure, dimension.statement_list, answers)
    return render(
        request,
        "assessments/page.html",
        {
            "workshop": participation.cohort.workshop,
            "structure": structure,
            "dimension": dimension,
            "number": number,
            "forms": forms,
            "answers": answers,
            "progress": _progress(structure, answers),
            "previous_number": number - 1 if number > 1 else None,
            "next_number": number + 1 if number < len(structure.dimensions) else None,
            "due_at": selectors.due_moment(participation.cohort),
        },
    )


def _after_save(go: str | None, number: int, pages: int) -> str:
    if go == "previous" and number > 1:
        return reverse("dtca:page", args=[number - 1])
    if go == "next" and number < pages:
        return reverse("dtca:page", args=[number + 1])
    if go in {"next", "review"}:
        return reverse("dtca:review")
    return reverse("dtca:page", args=[number])


@require_POST
@login_required_for_autosave
def autosave(request, statement_pk):
    """Saves one answer as the participant gives it (htmx); answers a small status for the page."""
    if request.participation is None:
        raise Http404(_("You are not enrolled in a workshop group."))
    try:
        participation, run, structure = _participant_context(request)
    except NotSetUp as exc:
        raise Http404("The assessment is not set up.") from exc
    statement = structure.statement(statement_pk)
    if statement is None:
        raise Http404("No such statement.")
    form = AnswerForm(request.POST, statement=statement, structure=structure)
    context = {"statement": statement, "saved_at": None, "error": None}
    if not form.is_valid():
        context["error"] = " ".join(str(e) for errors in form.errors.values() for e in errors)
    else:
        try:
            services.save_answers(run, participation, structure, {statement.pk: form.answer_input()})
        except services.AssessmentError as exc:
            context["error"] = str(exc)
        else:
            context["saved_at"] = timezone.now()
    assessment = selectors.individual_assessment(run, participation)
    context["progress"] = _progress(structure, selectors.answers_by_statement(assessment))
    return render(request, "assessments/partials/save_status.html", context)


@enrolled_required
@cached_page  # where a handed-in assessment's pages lead
@participant_view
def review(request, participation, run, structure):
    assessment = selectors.individual_assessment(run, participation)
    answers = selectors.answers_by_statement(assessment)
    return render(
        request,
        "assessments/review.html",
        {
            "workshop": participation.cohort.workshop,
            "structure": structure,
            "assessment": assessment,
            "answers": answers,
            "unanswered": selectors.unanswered_statements(structure, answers),
            "progress": _progress(structure, answers),
            "due_at": selectors.due_moment(participation.cohort),
        },
    )


@require_POST
@participant_view
def submit(request, participation, run, structure):
    assessment = selectors.individual_assessment(run, participation)
    if assessment is None:
        messages.error(request, _("Answer the statements first: nothing has been saved yet."))
        return redirect("dtca:page", 1)
    try:
        assessment = services.submit_individual(assessment, structure)
    except services.AssessmentError as exc:
        messages.error(request, str(exc))
        return redirect("dtca:review")
    if assessment.is_late:
        messages.warning(request, _("Your assessment is submitted, after the due date: it is marked late. Thank you."))
    else:
        messages.success(request, _("Your assessment is submitted. Thank you! Your profile is below."))
    return redirect("dtca:results")


# --------------------------------------------------------------------------- participant: country consolidation


@participant_view
def country(request, participation, run, structure):
    team = selectors.team(run, participation.cohort, participation.country)
    context = {"workshop": participation.cohort.workshop, "structure": structure, "team": team, "me": participation}
    if not team.all_submitted:
        return render(request, "assessments/country_waiting.html", context)
    # The first visit after everyone has submitted opens the team's shared draft (once; later visits reuse it).
    country_assessment = services.start_country_assessment(team, structure)
    team.country_assessment = country_assessment
    rows = selectors.team_comparison(structure, team)
    agreed = {row.statement.pk: row.country_answer for row in rows}
    if request.method == "POST":
        if country_assessment.is_submitted:
            messages.error(request, _("Your country's assessment is submitted and locked."))
            return redirect("dtca:country")
        forms = answer_forms(structure, structure.statements, agreed, data=request.POST)
        valid, all_valid = posted_answers(forms)
        try:
            country_assessment = services.save_country_answers(country_assessment, structure, valid, by=request.user)
            if all_valid and request.POST.get("go") == "submit":
                country_assessment = services.submit_country(country_assessment, structure, by=request.user)
                messages.success(
                    request,
                    _("The country assessment of %(country)s is submitted. Thank you!")
                    % {"country": team.country.name},
                )
                return redirect("dtca:results")
        except services.AssessmentError as exc:
            messages.error(request, str(exc))
            return redirect("dtca:country")
        if all_valid:
            messages.success(request, _("Saved."))
            return redirect("dtca:country")
        messages.error(request, _("Some answers could not be saved; see the notes below. The others are saved."))
    else:
        forms = answer_forms(structure, structure.statements, agreed)
    forms_by_statement = {form.statement.pk: form for form in forms}
    only_differences = request.GET.get("show") == "differences"
    dimensions = []
    for dimension in structure.dimensions:
        dimension_rows = [
            (row, forms_by_statement[row.statement.pk])
            for row in rows
            if row.statement.dimension_id == dimension.pk and (row.is_notable or not only_differences)
        ]
        dimensions.append((dimension, dimension_rows))
    unanswered = [row.statement for row in rows if row.country_answer is None or not row.country_answer.is_answered]
    context.update(
        {
            "country_assessment": country_assessment,
            "dimensions": dimensions,
            "notable_count": sum(1 for row in rows if row.is_notable),
            "only_differences": only_differences,
            "unanswered": unanswered,
            "due_at": selectors.due_moment(participation.cohort),
        }
    )
    return render(request, "assessments/country.html", context)


@require_POST
@login_required_for_autosave
def country_autosave(request, statement_pk):
    if request.participation is None:
        raise Http404(_("You are not enrolled in a workshop group."))
    try:
        participation, run, structure = _participant_context(request)
    except NotSetUp as exc:
        raise Http404("The assessment is not set up.") from exc
    statement = structure.statement(statement_pk)
    if statement is None:
        raise Http404("No such statement.")
    team = selectors.team(run, participation.cohort, participation.country)
    if team.country_assessment is None or not team.all_submitted:
        raise Http404("The country assessment is not open.")
    form = AnswerForm(request.POST, statement=statement, structure=structure)
    context = {"statement": statement, "saved_at": None, "error": None, "by": request.user}
    if not form.is_valid():
        context["error"] = " ".join(str(e) for errors in form.errors.values() for e in errors)
    else:
        try:
            services.save_country_answers(
                team.country_assessment, structure, {statement.pk: form.answer_input()}, by=request.user
            )
        except services.AssessmentError as exc:
            context["error"] = str(exc)
        else:
            context["saved_at"] = timezone.now()
    return render(request, "assessments/partials/save_status.html", context)


# --------------------------------------------------------------------------- results


def _radar(structure, series, title):
    return radar_svg([d.name for d in structure.dimensions], series, title=title)


@participant_view
def results(request, participation, run, structure):
    assessment = selectors.individual_assessment(run, participation)
    context = {
        "workshop": participation.cohort.workshop,
        "structure": structure,
        "assessment": assessment,
        "released": selectors.group_view_released(run, participation.cohort),
    }
    if assessment is None or not assessment.is_submitted:
        return render(request, "assessments/results.html", context)
    answers = selectors.answers_by_statement(assessment)
    mine = score_dimensions(structure.dimensions, {pk: (a.score, a.dont_know) for pk, a in answers.items()})
    group = selectors.group_views(run, structure, [participation.cohort])[0]
    country_row = next((c for c in group.countries if c.country.pk == participation.country_id), None)
    series = [RadarSeries(_("You"), [s.mean for s in mine], "series-me")]
    if country_row is not None and country_row.scores is not None:
        series.append(
            RadarSeries(
                f"{participation.country.name} ({country_row.source})",
                [s.mean for s in country_row.scores],
                "series-country",
            )
        )
    series.append(RadarSeries(f"{participation.cohort.name} mean", group.group_means, "series-group"))
    rows = []
    for index, dimension in enumerate(structure.dimensions):
        rows.append(
            {
                "dimension": dimension,
                "mine": mine[index],
                "country": country_row.scores[index] if country_row and country_row.scores else None,
                "group": group.stats[index],
            }
        )
    weakest = []
    if country_row is not None and country_row.scores is not None:
        scored = [s for s in country_row.scores if s.mean is not None]
        weakest = sorted(scored, key=lambda s: (s.mean, s.dimension.number))[:2]
    context.update(
        {
            "rows": rows,
            "weakest": weakest,
            "country_row": country_row,
            "group": group,
            "series": series,
            "chart": _radar(
                structure,
                series,
                _("Your profile, %(country)s and the group mean") % {"country": participation.country.name},
            ),
        }
    )
    return render(request, "assessments/results.html", context)


@participant_view
def group_for_participant(request, participation, run, structure):
    if not selectors.group_view_released(run, participation.cohort):
        return render(
            request,
            "assessments/group_closed.html",
            {"workshop": participation.cohort.workshop, "cohort": participation.cohort},
        )
    group = selectors.group_views(run, structure, [participation.cohort])[0]
    return render(
        request,
        "assessments/group_participant.html",
        {"workshop": participation.cohort.workshop, "structure": structure, "group": group},
    )


@login_required
def response_detail(request, pk):
    assessment = get_object_or_404(
        IndividualAssessment.objects.select_related(
            "run__workshop", "run__instrument", "participant__user", "participant__country", "participant__cohort"
        ),
        pk=pk,
    )
    # 404, never 403: a participant learns nothing about other countries' work.
    if not may_read_individual(viewer_of(request), assessment):
        raise Http404(_("No such assessment."))
    structure = selectors.instrument_structure(assessment.run.instrument)
    answers = selectors.answers_by_statement(assessment)
    scores = score_dimensions(structure.dimensions, {pk: (a.score, a.dont_know) for pk, a in answers.items()})
    return render(
        request,
        "assessments/response_detail.html",
        {
            "workshop": assessment.run.workshop,
            "assessment": assessment,
            "structure": structure,
            "answers": answers,
            "scores": scores,
            "is_facilitator": viewer_of(request).facilitates(assessment.run.workshop_id),
        },
    )


# --------------------------------------------------------------------------- facilitators


@login_required
@cached_page
def facilitator_group(request, cohort_pk):
    cohort = facilitated_cohort_or_404(request, cohort_pk)
    workshop = cohort.workshop
    run = services.ensure_run(workshop)
    if run is None:
        return _not_set_up(request)
    structure = selectors.instrument_structure(run.instrument)
    cohorts = selectors.cohorts_with_release(run, workshop)
    views = selectors.group_views(run, structure, cohorts)
    due = selectors.due_moments(workshop, cohorts)
    for view in views:
        view.released = view.cohort.group_view_released
        view.due_at = due[view.cohort.pk]
    group = next(v for v in views if v.cohort.pk == cohort.pk)
    groups_series = [
        RadarSeries(f"{v.cohort.name} mean", v.group_means, f"series-group-{n % 4}") for n, v in enumerate(views)
    ]
    return render(
        request,
        "assessments/facilitator_group.html",
        {
            "workshop": workshop,
            "cohort": cohort,
            "run": run,
            "structure": structure,
            "group": group,
            "groups": views,
            "groups_series": groups_series,
            "groups_chart": _radar(structure, groups_series, _("Group means per dimension")),
            # The group's country assessments are those its comparison has read already.
            "status": selectors.submission_status(
                run,
                cohort,
                consolidated={c.country.pk: c.country_assessment for c in group.countries if c.country_assessment},
            ),
            "projector": request.GET.get("projector") == "1",
        },
    )


@require_POST
@login_required
def facilitator_visibility(request, cohort_pk):
    cohort = facilitated_cohort_or_404(request, cohort_pk)
    run = services.ensure_run(cohort.workshop)
    if run is None:
        return _not_set_up(request)
    visible = request.POST.get("visible") == "1"
    services.set_group_view_visible(run, cohort, visible=visible, by=request.user)
    if visible:
        messages.success(
            request, _("Participants of %(group)s can now see their group's comparison.") % {"group": cohort.name}
        )
    else:
        messages.success(
            request, _("The group comparison is hidden from participants of %(group)s again.") % {"group": cohort.name}
        )
    return redirect("dtca:facilitator", cohort.pk)


@login_required
def export(request, workshop_pk, fmt):
    workshop = facilitated_workshop_or_404(request, workshop_pk)
    run = services.ensure_run(workshop)
    if run is None:
        return _not_set_up(request)
    cohorts = list(workshop.cohorts.all())
    group_id = request.GET.get("group")
    if group_id:
        cohorts = [c for c in cohorts if str(c.pk) == group_id]
        if not cohorts:
            raise Http404("No such group.")
    structure = selectors.instrument_structure(run.instrument)
    # One language per file, chosen at download: headers, statements and labels in it; statements matched by id,
    # so a French participant's answers sit in the same columns as everyone else's.
    language = export_language(request)
    with translation.override(language):
        header = exports.header(structure, workshop)
    data = in_language(exports.rows(structure, workshop, selectors.export_respondents(run, cohorts)), language)
    scope = slugify(cohorts[0].name) if group_id else "all-groups"
    filename = f"dtca-{workshop.slug}-{scope}-{timezone.localdate():%Y%m%d}-{language}.{fmt}"
    if fmt == "csv":
        response = csv_response(filename, header, data)
    else:
        # The About sheet's labels and texts are built inside the file's language too.
        with translation.override(language):
            about = [
                (_("Workshop"), translated(workshop, "title")),
                (_("Instrument"), f"{translated(run.instrument, 'name')} ({run.instrument.version})"),
                (_("Language"), language_name(language)),
                (_("Source"), run.instrument.adapted_from),
                (_("Groups"), ", ".join(c.name for c in cohorts)),
                (
                    _("Rows"),
                    _("One per respondent: each submitted individual assessment, then each agreed country assessment."),
                ),
                (
                    _("Scores"),
                    _("Dimension score = mean of the scored statements; “don't know” is left out and counted."),
                ),
                (_("Scale"), "; ".join(f"{level.value} = {translated(level, 'label')}" for level in structure.scale)),
                (
                    _("Note"),
                    _("A self-assessment to find gaps and where to act. It is not a benchmark: do not rank countries."),
                ),
            ]
            body = exports.xlsx_bytes(header, data, about=about)
        response = HttpResponse(body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    attachment(response, filename)
    response["Cache-Control"] = "private, no-store"
    return response
