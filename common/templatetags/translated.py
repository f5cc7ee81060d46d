"""Translated content in templates (see ``common/translations.py``).

``{{ session|translated:"title" }}``: the text in the page's language where a translation exists, else the
original. ``{% translated_text session "title" %}``: the same, and when it is the original in another language,
wrapped in a span carrying that ``lang`` (screen readers switch voice) followed by a small “(shown in English)”.
``{{ form_question|translated_options:"choices" }}``: a list field's labels.
"""

from django import template
from django.conf import settings
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext

from common import translations

register = template.Library()


@register.filter
def translated(obj, field: str):
    return translations.translated(obj, field)


@register.filter
def translated_lines(obj, field: str):
    return translations.translated_lines(obj, field)


@register.filter
def translated_options(obj, field: str):
    return translations.translated_list(obj, field)


@register.simple_tag
def translated_text(obj, field: str):
    value = translations.translated(obj, field)
    if not value.fell_back:
        return value  # escaped by the template engine like any text
    return format_html('<span lang="{}">{}</span> {}', value.language, value, translations.note_html(value))


@register.simple_tag
def translation_note(value):
    """The note for a value from the ``translated`` filter (``{% translation_note title %}``)."""
    return translations.note_html(value)


@register.filter
def lang_attr(value):
    """`` lang="en"`` for a value shown in another language than the page's (put it on the element)."""
    if getattr(value, "fell_back", False):
        return format_html(' lang="{}"', value.language)
    return ""


@register.simple_tag
def export_language_select(field_id: str = "export-language"):
    """The language choice of a download form (``name="language"``), the page's language chosen first.
    Put it in a GET form whose buttons carry ``formaction`` to each download."""
    current = translations.wanted_language()
    options = format_html_join(
        "",
        '<option value="{}" lang="{}"{}>{}</option>',
        ((code, code, " selected" if code == current else "", name) for code, name in settings.LANGUAGES),
    )
    return format_html(
        '<label class="small" for="{}">{}</label> <select class="form-select form-select-sm w-auto d-inline-block" '
        'id="{}" name="language">{}</select>',
        field_id,
        gettext("Language of the file"),
        field_id,
        options,
    )
