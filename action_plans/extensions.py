"""What action plans add to other apps' pages: the session card, a nav entry, the facilitator's links."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from common.registry import Card, Link, NavEntry, Role
from participants.models import Participant

from . import selectors
from .models import NdpPriority, SdgChoice, StructuredTask

Kind = StructuredTask.Kind


def action_plans_session_card(context, occurrence):
    """On a session page: the principles with their reading, the SDG choice, the team's priorities, and from
    the session after the priorities on, the country's action plan."""
    session = occurrence.session
    linked = selectors.linked_tasks(session.workshop)
    here = {kind: [t for t in tasks if t.session_id == session.pk] for kind, tasks in linked.items()}
    participation = context.get("participation")
    is_participant = participation is not None and participation.cohort_id == occurrence.cohort_id
    result = {"occurrence": occurrence, "cohort": occurrence.cohort, "is_participant": is_participant}
    if here.get(Kind.GOVERNANCE_PRINCIPLES):
        result["principles"] = True
    sdg_task = (here.get(Kind.SDG_CHOICE) or [None])[0]
    if sdg_task is not None:
        result["sdg_task"] = sdg_task
        if is_participant:
            result["sdg_choice"] = selectors.sdg_choice_of(sdg_task, participation)
        else:
            result["sdg_chosen"] = SdgChoice.objects.filter(
                task=sdg_task, participant__cohort=occurrence.cohort, participant__is_active=True
            ).count()
            result["group_size"] = Participant.objects.filter(cohort=occurrence.cohort, is_active=True).count()
    priorities_task = (here.get(Kind.NDP_PRIORITIES) or [None])[0]
    if priorities_task is not None:
        result["priorities_task"] = priorities_task
        if is_participant:
            result["priorities"] = selectors.team_priorities(
                priorities_task, participation.cohort_id, participation.country_id
            )
        else:
            result["countries_with_priorities"] = (
                NdpPriority.objects.filter(task=priorities_task, cohort=occurrence.cohort)
                .values("country_id")
                .distinct()
                .count()
            )
    first_priorities = (linked.get(Kind.NDP_PRIORITIES) or [None])[0]
    if first_priorities is not None and session.number > first_priorities.session.number:
        result["plan_card"] = True
        if is_participant:
            result["plan_statuses"] = selectors.team_status_counts(participation.cohort_id, participation.country_id)
            result["plan_action_count"] = sum(count for _, _, count, _ in result["plan_statuses"])
    result["show"] = any(key in result for key in ("principles", "sdg_task", "priorities_task", "plan_card"))
    return result


def session_cards(context, occurrence):
    result = action_plans_session_card(context, occurrence)
    return [Card("action_plans/partials/session_card.html", result)] if result["show"] else []


def nav_entries():
    return [
        NavEntry(
            _("Action plan"),
            "action_plans:mine",
            Role.PARTICIPANT,
            title=_("Your country team's action plan"),
            order=50,
            key="action-plan",
        )
    ]


def workshop_links(workshop, memo):
    url = reverse("action_plans:followup_board", args=[workshop.pk])
    return [Link(_("Action-plan follow-up board"), url, key="followup-board")]


def group_links(cohort, workshop, memo):
    """The group's SDG choices, priorities and action plans (one query per workshop, however many groups)."""
    linked_by_workshop = memo.setdefault("action_plans_linked", {})
    if workshop.pk not in linked_by_workshop:
        linked_by_workshop[workshop.pk] = selectors.linked_tasks(workshop)
    linked = linked_by_workshop[workshop.pk]
    links = []
    if Kind.SDG_CHOICE in linked:
        links.append(Link(_("SDGs chosen"), reverse("action_plans:group_sdgs", args=[cohort.pk]), key="sdgs"))
    if Kind.NDP_PRIORITIES in linked:
        url = reverse("action_plans:group_priorities", args=[cohort.pk])
        links.append(Link(_("NDP priorities"), url, key="priorities"))
    links.append(Link(_("Action plans"), reverse("action_plans:group_plans", args=[cohort.pk]), key="action-plans"))
    return links


def exports(workshop, cohort, memo):
    if cohort is None:
        return []
    url = reverse("action_plans:group_plans_xlsx", args=[cohort.pk])
    return [Link(_("Action plans (Excel)"), url, key="action-plans-xlsx")]
