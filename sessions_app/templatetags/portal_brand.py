"""Who the portal is for, from the published workshops (never hard-coded text): shown on the sign-in pages."""

from django import template

from .. import selectors

register = template.Library()

WELCOME_WORKSHOPS = 3


@register.inclusion_tag("partials/portal_welcome.html")
def portal_welcome():
    """The newest published workshops (one query)."""
    return {"workshops": list(selectors.public_workshops()[:WELCOME_WORKSHOPS])}
