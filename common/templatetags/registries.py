"""Render what other apps registered for a page (see ``common/registry.py``), without naming those apps."""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from common.registry import REGISTRIES, Role, nav_entries

register = template.Library()


def _render_card(context, card) -> str:
    # As an inclusion tag renders: the card's own context, plus the page's CSRF token.
    tpl = card.template if hasattr(card.template, "render") else context.template.engine.get_template(card.template)
    new_context = context.new(card.context)
    csrf_token = context.get("csrf_token")
    if csrf_token is not None:
        new_context["csrf_token"] = csrf_token
    return tpl.render(new_context)


@register.simple_tag(takes_context=True)
def registered_cards(context, registry_name, *args):
    """Every card the providers of ``registry_name`` add here, in their order: ``{% registered_cards "x" obj %}``."""
    cards = REGISTRIES[registry_name].collect(context, *args)
    return mark_safe("".join(_render_card(context, card) for card in cards))


def _memo(context) -> dict:
    return context.render_context.setdefault("registered_links_memo", {})


@register.simple_tag(takes_context=True)
def registered_links(context, registry_name, *args):
    """The links the providers of ``registry_name`` add for these objects: ``{% registered_links "x" a as links %}``."""
    return REGISTRIES[registry_name].collect(*args, _memo(context))


def _visible(entry, context, asked: dict) -> bool:
    role = entry.role
    if callable(role) and not isinstance(role, Role):
        return bool(role(context))
    if role not in asked:
        user = context.get("user")
        signed_in = bool(user is not None and user.is_authenticated)
        if role == Role.PARTICIPANT:
            asked[role] = context.get("participation") is not None
        elif role == Role.FACILITATOR:
            is_facilitator = context.get("is_facilitator")
            asked[role] = signed_in and bool(is_facilitator() if callable(is_facilitator) else is_facilitator)
        elif role == Role.STAFF:
            asked[role] = signed_in and user.is_staff
        else:
            asked[role] = signed_in
    return asked[role]


@register.simple_tag(takes_context=True)
def navigation(context):
    """The main navigation's entries this viewer may see, as ``<li>`` items, in their order."""
    entries = sorted(nav_entries.collect(), key=lambda entry: entry.order)
    asked: dict = {}
    rows = []
    for entry in entries:
        if not _visible(entry, context, asked):
            continue
        url = entry.url(context) if callable(entry.url) else reverse(entry.url)
        title = format_html(' title="{}"', entry.title) if entry.title else ""
        rows.append((entry.key, url, title, entry.label))
    return format_html_join(
        "\n", '<li class="nav-item"><a class="nav-link" data-nav="{}" href="{}"{}>{}</a></li>', rows
    )
