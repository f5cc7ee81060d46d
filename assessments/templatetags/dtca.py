from django import template
from django.template.defaultfilters import floatformat

from ..scoring import heat_level

register = template.Library()


@register.filter
def score(value):
    """A dimension score with one decimal in the reader's notation (3.4, 3,4), or an en dash when there is none."""
    if value is None or value == "":
        return "–"
    return floatformat(value, 1)  # rounds half up, like the scores everyone reads elsewhere


@register.filter
def percent(value):
    if value is None:
        return "–"
    return f"{round(value * 100)}%"


@register.filter
def lookup(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def answer_text(answer, structure):
    """How an answer reads on a page: “4 · Largely in place”, “Don't know” or “—”."""
    if answer is None or not answer.is_answered:
        return "—"
    if answer.dont_know:
        return structure.instrument.dont_know_label
    label = next((level.label for level in structure.scale if level.value == answer.score), "")
    return f"{answer.score} · {label}" if label else str(answer.score)


@register.filter
def heat(value):
    """CSS class of a heat-map cell for a 1–5 score."""
    level = heat_level(value)
    return "heat-none" if level is None else f"heat-{level}"
