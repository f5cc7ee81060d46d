"""The admin edits translated content side by side: each translatable field, then its version in each other
language, on one line (one column each in a tabular inline). Nobody types JSON: the boxes are ordinary form
fields, cleaned and bounded like the original, gathered into the row's ``translations`` when the form is saved.

    class SessionAdmin(TranslationsAdminMixin, admin.ModelAdmin): ...
    class AgendaItemInline(TranslationsAdminMixin, admin.TabularInline): ...
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.text import capfirst, format_lazy

from common.text import CleanCharField
from common.translations import (
    clean_translations,
    is_list_field,
    is_multiline,
    language_codes,
    max_length,
    source_language,
    translatable_fields,
)

SEPARATOR = "__"


def translation_field_name(field: str, language: str) -> str:
    return f"{field}{SEPARATOR}{language}"


def _language_label(code: str) -> str:
    return dict(settings.LANGUAGES).get(code, code)


class TranslationsFormMixin(forms.ModelForm):
    """Fills the per-language boxes from ``instance.translations`` and puts them back, checked, on save."""

    translation_languages: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        stored = getattr(self.instance, "translations", None) or {}
        model = type(self.instance)
        for field in translatable_fields(model):
            for language in self.translation_languages:
                name = translation_field_name(field, language)
                if name in self.fields and name not in self.initial:
                    value = (stored.get(language) or {}).get(field, "")
                    if is_list_field(model, field) and isinstance(value, list):
                        value = "\n".join(value)
                    self.initial[name] = value

    def _post_clean(self):
        super()._post_clean()  # type: ignore[misc]
        model = type(self.instance)
        merged = {lang: dict(texts) for lang, texts in (getattr(self.instance, "translations", None) or {}).items()}
        for field in translatable_fields(model):
            for language in self.translation_languages:
                name = translation_field_name(field, language)
                if name not in self.cleaned_data:
                    continue
                value = self.cleaned_data[name] or ""
                if is_list_field(model, field):
                    value = [line.strip() for line in value.splitlines() if line.strip()]
                entry = merged.setdefault(language, {})
                if value:
                    entry[field] = value
                else:
                    entry.pop(field, None)
        try:
            self.instance.translations = clean_translations(model, merged)
        except ValidationError as exc:
            self.add_error(None, exc)


def translations_form(base_form, model, languages) -> type[forms.ModelForm]:
    """A subclass of ``base_form`` with one box per translatable field and language."""
    attrs: dict = {"translation_languages": tuple(languages)}
    for field in translatable_fields(model):
        original = model._meta.get_field(field)
        multiline = is_multiline(model, field) or is_list_field(model, field)
        for language in languages:
            attrs[translation_field_name(field, language)] = CleanCharField(
                label=format_lazy("{} ({})", capfirst(original.verbose_name), _language_label(language)),
                required=False,
                multiline=multiline,
                max_length=None if is_list_field(model, field) else max_length(model, field),
                widget=forms.Textarea(attrs={"rows": 3, "lang": language})
                if multiline
                else forms.TextInput(attrs={"lang": language, "class": "vTextField"}),
            )
    bases = (TranslationsFormMixin, base_form) if not issubclass(base_form, TranslationsFormMixin) else (base_form,)
    return type(f"{model.__name__}TranslationsForm", bases, attrs)


# Mixed into a ModelAdmin or an inline; for the type checker it has their attributes.
_AdminBase: Any = object


class TranslationsAdminMixin(_AdminBase):
    """For a ModelAdmin or an inline of a model with ``TRANSLATABLE_FIELDS`` and a ``translations`` field."""

    def translation_languages(self, obj=None) -> list[str]:
        """Every configured language but the one the original is written in."""
        source = source_language(obj) if obj is not None else settings.LANGUAGE_CODE
        return [code for code in language_codes() if code != source]

    def _translation_model(self):
        return self.model

    def get_form(self, request, obj=None, change=False, **kwargs):  # ModelAdmin
        kwargs["form"] = translations_form(kwargs.get("form", self.form), self.model, self.translation_languages(obj))
        return super().get_form(request, obj, change=change, **kwargs)

    def get_formset(self, request, obj=None, **kwargs):  # inlines: ``obj`` is the parent
        languages = [code for code in language_codes() if code != self._inline_source(obj)]
        kwargs["form"] = translations_form(kwargs.get("form", self.form), self.model, languages)
        self._inline_languages = languages
        return super().get_formset(request, obj, **kwargs)

    def _inline_source(self, parent) -> str:
        if parent is None:
            return settings.LANGUAGE_CODE
        if hasattr(parent, "language"):
            return parent.language or settings.LANGUAGE_CODE
        return source_language(parent)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        is_inline = hasattr(self, "parent_model")
        languages = (
            [code for code in language_codes() if code != self._inline_source(obj)]
            if is_inline
            else self.translation_languages(obj)
        )
        extra = {
            translation_field_name(field, language)
            for field in translatable_fields(self.model)
            for language in language_codes()
        }
        result = []
        for name, options in fieldsets:
            fields = []
            for entry in options.get("fields", ()):
                group = entry if isinstance(entry, (list, tuple)) else (entry,)
                group = [item for item in group if item not in extra]
                if not group:
                    continue
                side_by_side = []
                for item in group:
                    side_by_side.append(item)
                    if item in translatable_fields(self.model):
                        side_by_side += [translation_field_name(item, language) for language in languages]
                fields.append(tuple(side_by_side) if len(side_by_side) > 1 else side_by_side[0])
            result.append((name, {**options, "fields": fields}))
        return result
