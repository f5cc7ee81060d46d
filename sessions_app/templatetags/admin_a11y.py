"""Names for the admin's inline-table inputs, whose only label is the column heading (axe-core "label")."""

from django import template
from django.utils.translation import gettext

register = template.Library()


@register.filter
def labelled(bound_field, row=None):
    """Render the field with ``aria-label="<column>, <row>"``, e.g. "Starts at, Group A"."""
    label = str(bound_field.label)
    if row:
        label = f"{label}, {row}"
    return bound_field.as_widget(attrs={"aria-label": label})


@register.filter
def delete_label(row=None):
    # gettext outside the f-string: makemessages does not look inside f-strings.
    label = gettext("Delete")
    return f"{label}, {row}" if row else label
