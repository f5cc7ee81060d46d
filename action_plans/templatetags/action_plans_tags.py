"""The parts of action plans shown on other apps' pages: badges, principles, the SDG choice form."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from .. import selectors
from ..forms import SdgChoiceForm
from ..models import StructuredTask
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
        '<span class="badge sdg-badge {}" style="background-color: {}; color: {}" title="{}">{}</span>',
        size,
        sdg.colour,
        readable_text_colour(sdg.colour),
        _("SDG %(number)s: %(name)s") % {"number": sdg.number, "name": sdg.short_name},
        _("SDG %(number)s") % {"number": sdg.number},
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
