"""The answers of this app's forms, as preparation counts them: an SDG choice, a country team's priorities.

Registered with ``preparation.structured`` in ``ActionPlansConfig.ready``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from preparation.structured import Answer, Panel
from sessions_app.models import PreparationTask

from . import selectors
from .models import NdpPriority, SdgChoice, StructuredTask

Kind = StructuredTask.Kind
Deliverable = PreparationTask.Deliverable

PANELS = {
    Kind.SDG_CHOICE: Panel(
        kind=Kind.SDG_CHOICE,
        label=_("SDG choice"),
        template="action_plans/panels/sdg_choice.html",
        records_answer=True,
        replaces_deliverable=True,
    ),
    Kind.NDP_PRIORITIES: Panel(
        kind=Kind.NDP_PRIORITIES,
        label=_("National Development Plan priorities"),
        template="action_plans/panels/ndp_priorities.html",
        records_answer=True,
        replaces_deliverable=True,
    ),
    Kind.GOVERNANCE_PRINCIPLES: Panel(
        kind=Kind.GOVERNANCE_PRINCIPLES,
        label=_("Principles of effective governance"),
        template="action_plans/panels/governance_principles.html",
        records_answer=False,
        replaces_deliverable=False,
    ),
}


class StructuredAnswers:
    def panels(self, task_ids) -> dict[int, Panel]:
        links = StructuredTask.objects.filter(task_id__in=list(task_ids)).values_list(
            "task_id", "kind", "task__deliverable"
        )
        found = {}
        for task_id, kind, deliverable in links:
            if kind not in PANELS:
                continue
            panel = PANELS[kind]
            if panel.records_answer and deliverable in (Deliverable.FILE, Deliverable.LINK):
                # The form records the answer; slides or a link stay an optional addition through preparation.
                panel = replace(panel, replaces_deliverable=False)
            found[task_id] = panel
        return found

    def answers(self, tasks, *, panels, cohort_ids, participant=None) -> dict[tuple[int, tuple], Answer]:
        sdg_tasks = [task for task in tasks if panels[task.pk].kind == Kind.SDG_CHOICE]
        priority_tasks = [task for task in tasks if panels[task.pk].kind == Kind.NDP_PRIORITIES]
        found = {}
        if sdg_tasks:
            found.update(sdg_answers(sdg_tasks, cohort_ids=cohort_ids, participant=participant))
        if priority_tasks:
            found.update(priority_answers(priority_tasks, cohort_ids=cohort_ids, participant=participant))
        return found


def sdg_answers(tasks, *, cohort_ids, participant=None) -> dict[tuple[int, tuple], Answer]:
    if participant is not None:
        # One participant's: read with their other choices, once per request (selectors.sdg_choices_by_task).
        mine = selectors.sdg_choices_by_task(participant) if participant.cohort_id in cohort_ids else {}
        choices = [mine[task.pk] for task in tasks if task.pk in mine]
    else:
        choices = (
            SdgChoice.objects.filter(task__in=tasks, participant__cohort_id__in=cohort_ids)
            .select_related("sdg", "participant__user")
            .order_by()
        )
    found = {}
    for choice in choices:
        key = ("participant", choice.participant_id)
        found[(choice.task_id, key)] = Answer(
            task_id=choice.task_id,
            owner_key=key,
            answered_at=choice.created_at,
            answered_by_id=choice.participant_id,
            answered_by_name=str(choice.participant.user),
            summary=_("SDG %(number)s · %(name)s") % {"number": choice.sdg.number, "name": choice.sdg.short_name},
            url=reverse("action_plans:group_sdgs", args=[choice.participant.cohort_id]) + f"#choice-{choice.pk}",
            detail=choice,
        )
    return found


def priority_answers(tasks, *, cohort_ids, participant=None) -> dict[tuple[int, tuple], Answer]:
    by_team = defaultdict(list)
    if participant is not None:
        # The participant's own team: their pages show the priorities themselves, with the SDGs they serve (read
        # once per request with the team's other priorities: selectors.team_priorities_by_task).
        if participant.cohort_id in cohort_ids:
            mine = selectors.team_priorities_by_task(participant.cohort_id, participant.country_id)
            for task in tasks:
                if mine.get(task.pk):
                    by_team[(task.pk, participant.cohort_id, participant.country_id)] = mine[task.pk]
    else:
        priorities = (
            NdpPriority.objects.filter(task__in=tasks, cohort_id__in=cohort_ids)
            .select_related("updated_by__user")
            .order_by("position")
        )
        for priority in priorities:
            by_team[(priority.task_id, priority.cohort_id, priority.country_id)].append(priority)
    found = {}
    for (task_id, cohort_id, country_id), team_priorities in by_team.items():
        key = ("country", cohort_id, country_id)
        last = max(team_priorities, key=lambda p: p.updated_at)
        count = len(team_priorities)
        found[(task_id, key)] = Answer(
            task_id=task_id,
            owner_key=key,
            answered_at=min(p.created_at for p in team_priorities),
            answered_by_id=last.updated_by_id,
            answered_by_name=str(last.updated_by.user) if last.updated_by_id else "",
            summary=ngettext("%(count)s priority: %(titles)s", "%(count)s priorities: %(titles)s", count)
            % {"count": count, "titles": "; ".join(p.title for p in team_priorities)},
            url=reverse("action_plans:group_priorities", args=[cohort_id]) + f"#country-{country_id}",
            detail=team_priorities,
        )
    return found
