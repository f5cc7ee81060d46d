"""Translated content: one mechanism for every model whose texts people read in several languages.

A translatable model declares which of its fields can be translated and carries the translations on the row
itself, so showing a translated list costs no extra query:

    class Session(models.Model):
        TRANSLATABLE_FIELDS = ("title", "objectives")
        TRANSLATION_SOURCE = "workshop"          # the original is in this workshop's language (optional)
        translations = TranslationsField()       # {"fr": {"title": "…"}, "es": {"title": "…"}}

``translated(obj, "title")`` returns the text to show to the active language, as a ``TranslatedText`` (a str)
that also says which language it is in and whether it fell back to the original. Templates use
``{% load translated %}`` then ``{{ session|translated:"title" }}``, or, to say that a text is shown in another
language, ``{% translated_text session "title" %}`` (the text in a span with its ``lang`` and a small marked
note “shown in English”).

Translations are bounded: only the configured languages (``settings.LANGUAGES``), only the declared fields, each
text cleaned like the original (``common.text.clean_text``) and no longer than the original field allows.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.utils import translation
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from common.i18n import supported
from common.text import TEXT_MAX, TITLE_MAX, clean_text

#: A list field (a question's options) holds at most this many translated items.
MAX_LIST_ITEMS = 50


def language_codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def language_name(code: str) -> str:
    """The language's name in the active language (“anglais” when the page is in French)."""
    try:
        return str(translation.get_language_info(code)["name_translated"])
    except KeyError:
        return code


def current_model(model):
    """The model class with its declarations (a migration's historical model has none of its attributes)."""
    if hasattr(model, "TRANSLATABLE_FIELDS"):
        return model
    from django.apps import apps

    try:
        return apps.get_model(model._meta.app_label, model._meta.model_name)
    except LookupError:
        return model


def translatable_fields(model) -> tuple[str, ...]:
    return tuple(getattr(current_model(model), "TRANSLATABLE_FIELDS", ()))


def _field(model, name: str):
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def is_list_field(model, name: str) -> bool:
    """A JSON list of texts (a form question's options): its translation is a list of the same length."""
    return isinstance(_field(model, name), models.JSONField)


def max_length(model, name: str) -> int:
    field = _field(model, name)
    if field is None or isinstance(field, models.JSONField):
        return TITLE_MAX
    return getattr(field, "max_length", None) or TEXT_MAX


def is_multiline(model, name: str) -> bool:
    return isinstance(_field(model, name), models.TextField) or getattr(_field(model, name), "multiline", False)


def clean_translations(model, value: Any) -> dict:
    """The translations checked and cleaned: known languages and fields, bounded texts, no empty entries.

    Raises ValidationError with every problem found."""
    if value in (None, ""):
        return {}
    model = current_model(model)
    if not isinstance(value, dict):
        raise ValidationError(_("Translations must be a mapping of language to texts."), code="invalid")
    fields = translatable_fields(model)
    known = language_codes()
    errors: list[str] = []
    cleaned: dict[str, dict] = {}
    for language, texts in value.items():
        if language not in known:
            errors.append(
                gettext("Unknown language “%(language)s”: use one of %(known)s.")
                % {"language": str(language)[:20], "known": ", ".join(known)}
            )
            continue
        if not isinstance(texts, dict):
            errors.append(gettext("The %(language)s translations must map fields to texts.") % {"language": language})
            continue
        entry = {}
        for name, text in texts.items():
            if name not in fields:
                errors.append(
                    gettext("“%(field)s” cannot be translated (translatable: %(fields)s).")
                    % {"field": str(name)[:60], "fields": ", ".join(fields) or "—"}
                )
                continue
            limit = max_length(model, name)
            if is_list_field(model, name):
                if not isinstance(text, list) or len(text) > MAX_LIST_ITEMS:
                    errors.append(
                        gettext("The %(language)s “%(field)s” must be a list of at most %(count)d texts.")
                        % {"language": language, "field": name, "count": MAX_LIST_ITEMS}
                    )
                    continue
                items = [clean_text(item) if isinstance(item, str) else None for item in text]
                if any(item is None or len(item) > limit for item in items):
                    errors.append(
                        gettext("Each %(language)s “%(field)s” item is a text of at most %(limit)d characters.")
                        % {"language": language, "field": name, "limit": limit}
                    )
                    continue
                if any(items):
                    entry[name] = items
                continue
            if not isinstance(text, str):
                errors.append(
                    gettext("The %(language)s “%(field)s” must be a text.") % {"language": language, "field": name}
                )
                continue
            text = clean_text(text, multiline=is_multiline(model, name))
            if len(text) > limit:
                errors.append(
                    gettext("The %(language)s “%(field)s” has %(length)d characters; at most %(limit)d.")
                    % {"language": language, "field": name, "length": len(text), "limit": limit}
                )
                continue
            if text:
                entry[name] = text
        if entry:
            cleaned[language] = entry
    if errors:
        raise ValidationError(errors)
    return cleaned


class TranslationsField(models.JSONField):
    """``{"fr": {"title": "…"}}``: the row's texts in other languages, checked against the model's
    ``TRANSLATABLE_FIELDS`` and ``settings.LANGUAGES``. Not edited as JSON: the admin shows one box per field and
    language (``common.admin_translations.TranslationsAdminMixin``)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("default", dict)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("verbose_name", _("translations"))
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        for key, value in (("default", dict), ("blank", True), ("editable", False)):
            if kwargs.get(key) is value:
                kwargs.pop(key)
        kwargs.pop("verbose_name", None)
        return name, path, args, kwargs

    def validate(self, value, model_instance):
        super().validate(value, model_instance)
        clean_translations(type(model_instance), value)

    def pre_save(self, model_instance, add):
        value = getattr(model_instance, self.attname)
        # Nothing unchecked reaches the database, whatever path saves the row (raises ValidationError).
        cleaned = clean_translations(type(model_instance), value)
        setattr(model_instance, self.attname, cleaned)
        return cleaned


class TranslatedText(str):
    """A text with the language it is in and whether it is the original shown for want of a translation."""

    language: str
    fell_back: bool

    def __new__(cls, text: str, language: str, fell_back: bool):
        value = super().__new__(cls, text or "")
        value.language = language
        value.fell_back = fell_back
        return value


def source_language(obj) -> str:
    """The language the object's own fields are written in: its workshop's (``TRANSLATION_SOURCE`` names the
    path to it), else the site's. The path follows relations already loaded with the row (select_related or
    prefetch) without a query; pages that show such rows load them that way."""
    path = getattr(type(obj), "TRANSLATION_SOURCE", "")
    if not path:
        return getattr(obj, "content_language", "") or settings.LANGUAGE_CODE
    current = obj
    for step in [] if path == "self" else path.split("__"):
        current = getattr(current, step, None)
        if current is None:
            return settings.LANGUAGE_CODE
    return supported(getattr(current, "language", "")) or settings.LANGUAGE_CODE


def wanted_language(language: str | None = None) -> str:
    return supported(language or translation.get_language()) or settings.LANGUAGE_CODE


def translated(obj, field: str, language: str | None = None) -> TranslatedText:
    """The field's text in ``language`` (default: the active one) where a translation exists, else the original,
    saying in which language it is and whether that is a fallback."""
    wanted = wanted_language(language)
    if obj is None:
        return TranslatedText("", wanted, False)
    text = ((getattr(obj, "translations", None) or {}).get(wanted) or {}).get(field)
    if text and isinstance(text, str):
        return TranslatedText(text, wanted, False)
    original = getattr(obj, field, "") or ""
    if not original:
        return TranslatedText("", wanted, False)
    source = source_language(obj)
    return TranslatedText(str(original), source, source != wanted)


def translated_list(obj, field: str, language: str | None = None) -> list[str]:
    """A list field (a question's options) in ``language``: a translation of the same length, else the original.
    The original items stay the stored values (answers are compared by them), these are only the labels."""
    original = list(getattr(obj, field, None) or [])
    wanted = wanted_language(language)
    items = ((getattr(obj, "translations", None) or {}).get(wanted) or {}).get(field)
    if isinstance(items, list) and len(items) == len(original):
        return [label or value for label, value in zip(items, original, strict=True)]
    return original


def translated_lines(obj, field: str, language: str | None = None) -> list[str]:
    """A one-item-per-line text (objectives) in ``language``, as a list of lines."""
    return [line.strip() for line in translated(obj, field, language).splitlines() if line.strip()]


def translations_export(obj, fields: Iterable[str] | None = None) -> dict:
    """The translations for a file (programme, instrument): only languages with text, fields in declared order."""
    fields = tuple(fields or translatable_fields(type(obj)))
    data = {}
    for language, texts in sorted((getattr(obj, "translations", None) or {}).items()):
        entry = {name: texts[name] for name in fields if texts.get(name)}
        if entry:
            data[language] = entry
    return data


def translations_from_file(model, value) -> dict:
    """The ``translations:`` of a row in a programme or instrument file, checked like any translation. A list
    is accepted for a one-item-per-line text (objectives) as the file writes the original. Raises
    ValidationError."""
    if value in (None, "", {}):
        return {}
    if isinstance(value, dict):
        value = {
            language: (
                {
                    name: "\n".join(str(item) for item in text)
                    if isinstance(text, list) and not is_list_field(current_model(model), name)
                    else text
                    for name, text in texts.items()
                }
                if isinstance(texts, dict)
                else texts
            )
            for language, texts in value.items()
        }
    return clean_translations(model, value)


def note_html(value) -> str:
    """The small note saying a text is shown in another language (empty when it is not)."""
    if not getattr(value, "fell_back", False):
        return ""
    return format_html(
        '<small class="translation-note text-body-secondary">({})</small>',
        gettext("shown in %(language)s") % {"language": language_name(value.language)},
    )


def export_language(request) -> str:
    """The language a facilitator's download is written in: ``?language=`` when it names a configured language,
    else the page's (the facilitator's own). One language per file, so a mixed group's answers sit together."""
    return supported(str(request.GET.get("language", ""))[:16]) or wanted_language()


def in_language(rows, language: str):
    """A stream of rows (a generator read after the view returns, as a streamed CSV is) built in ``language``."""
    with translation.override(language):
        yield from rows


def options_map(obj, field: str = "choices", language: str | None = None) -> dict[str, str]:
    """Original option → its label in ``language``: answers are stored by the original, files show the label."""
    return dict(zip(getattr(obj, field, None) or [], translated_list(obj, field, language), strict=True))
