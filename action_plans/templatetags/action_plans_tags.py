"""The parts of action plans shown on other apps' pages: task panels, the session card, facilitator tools."""

from __future__ import annotations

from django import template
from django.utils.html import format_html

from participants.models import Participant

from .. import selectors
from ..forms import SdgChoiceForm
from ..models import NdpPriority, SdgChoice, StructuredTask
from ..reference import principles_source

register = template.Library()
Kind = StructuredTask.Kind


def _luminance(hex_colour: str) -> float:
    value = hex_colour.lstrip("#")
    if len(value) == 3:
        value = "".join(ch * 2 for ch in value)
    channels = [int(value[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def readable_text_colour(background: str) -> str:
    """White or black, whichever contrasts more with ``background`` (one of them always reaches 4.5:1)."""
    try:
        lum = _luminance(background)
    except (ValueError, IndexError):
        return "#fff"
    return "#fff" if (1.05 / (lum + 0.05)) >= ((lum + 0.05) / 0.05) else "#000"


@register.simple_tag
def sdg_badge(sdg, size=""):
    """A goal's number on its official colour, with its name for screen readers and on hover."""
    return format_html(
        '<span class="badge sdg-badge {}" style="background-color: {}; color: {}" title="SDG {}: {}">SDG {}</span>',
        size,
        sdg.colour,
        readable_text_colour(sdg.colour),
        sdg.number,
        sdg.short_name,
        sdg.number,
    )


@register.filter
def status_style(status: str) -> str:
    return selectors.STATUS_STYLES.get(status, "secondary")


@register.inclusion_tag("action_plans/partials/principles.html")
def governance_principles(compact=False):
    return {"groups": selectors.principles_by_group(), "source": principles_source(), "compact": compact}


@register.inclusion_tag("action_plans/partials/sdg_choice_form.html", takes_context=True)
def sdg_choice_panel(context, row, next_url=""):
    """The SDG choice of a task row: the answer, and the form to give or change it while the task is open."""
    choice = row.answer.detail if row.answer is not None else None
    form = None
    if row.can_submit:
        initial = {"sdg": choice.sdg_id, "note": choice.note} if choice else {}
        form = SdgChoiceForm(initial=initial, auto_id=f"id_sdg{row.task.pk}_%s")
    return {
        "row": row,
        "choice": choice,
        "form": form,
        "next": next_url or context.get("next") or "",
        "compact": context.get("compact", False),
        "request": context.get("request"),
    }


@register.inclusion_tag("action_plans/partials/facilitator_tools.html", takes_context=True)
def action_plan_tools(context, cohort, workshop):
    """Links to the group's SDG choices, priorities and action plans on the facilitator's start page."""
    # One query per workshop, however many groups it has.
    memo = context.render_context.setdefault("action_plans_linked", {})
    if workshop.pk not in memo:
        memo[workshop.pk] = selectors.linked_tasks(workshop)
    linked = memo[workshop.pk]
    return {"cohort": cohort, "has_sdg": Kind.SDG_CHOICE in linked, "has_priorities": Kind.NDP_PRIORITIES in linked}


@register.inclusion_tag("action_plans/partials/session_card.html", takes_context=True)
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
