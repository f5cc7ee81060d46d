"""What people type, cleaned one way everywhere: no invisible control characters, and every text bounded.

`clean_text` removes the characters that change how a text *looks* without being seen: bidirectional overrides
and isolates (``U+202A``–``U+202E``, ``U+2066``–``U+2069``, ``U+200E``/``U+200F``), zero-width spaces and joiners
(``U+200B``–``U+200D``, ``U+2060``, ``U+FEFF``), and every other control (Unicode categories Cc, Cf, Cs). A name
like ``Browne\\u202e`` can then no longer reverse what follows it in a list, a PDF or a spreadsheet. Short texts
(names, titles, options) become one line with single spaces; long texts keep their line breaks and tabs.

Model fields: `ShortTextField` (a CharField) and `LongTextField` (a TextField that must have a `max_length`,
enforced by forms *and* by `full_clean`). Both clean the value again when it is saved, whatever path saves it.
Form field: `CleanCharField`.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from functools import cache
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils.functional import cached_property

# Common bounds, so that similar texts get similar limits.
NAME_MAX = 150  # a person's first or last name (Django's own bound)
TITLE_MAX = 300  # a title, a question, an option
NOTE_MAX = 2_000  # a note or a comment
TEXT_MAX = 4_000  # a paragraph someone writes in a form (an action's obstacles, a priority)
MESSAGE_MAX = 5_000  # a message to a group, a free-text answer in an evaluation
LONG_TEXT_MAX = 10_000  # programme texts organizers write (a workshop's background, a task's instructions)
SUBMISSION_MAX = 20_000  # a text handed in as preparation work


@cache
def _invisible() -> re.Pattern:
    """Every character of categories Cc, Cf and Cs except tab and line feed (handled apart)."""
    ranges, start = [], None
    for code in range(sys.maxunicode + 2):
        hidden = code <= sys.maxunicode and unicodedata.category(chr(code)) in ("Cc", "Cf", "Cs")
        hidden = hidden and chr(code) not in "\t\n\r\x0b\x0c\x85"
        if hidden and start is None:
            start = code
        elif not hidden and start is not None:
            ranges.append((start, code - 1))
            start = None
    body = "".join(re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges)
    return re.compile(f"[{body}]")


_LINE_BREAKS = re.compile("\r\n|[\r\x0b\x0c\x85\u2028\u2029]")
_SPACES = re.compile(r"\s+")


def clean_text(value, *, multiline: bool = False):
    """The text without invisible controls; one line with single spaces unless ``multiline``. None stays None."""
    if value is None:
        return None
    text = unicodedata.normalize("NFC", str(value))
    text = _invisible().sub("", text)
    if multiline:
        return _LINE_BREAKS.sub("\n", text).strip()
    return _SPACES.sub(" ", text).strip()


class CleanCharField(forms.CharField):
    """A form's text field that cleans with `clean_text` before its length and other checks run."""

    def __init__(self, *, multiline: bool = False, **kwargs):
        self.multiline = multiline
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return value
        return clean_text(value, multiline=self.multiline)


if TYPE_CHECKING:
    _ModelFieldBase = models.Field
else:
    _ModelFieldBase = object


class _CleanedOnSave(_ModelFieldBase):
    """Mixed into a model field (before it): cleans the text on save and on ``to_python``."""

    multiline = False

    def pre_save(self, model_instance, add):
        value = super().pre_save(model_instance, add)
        if isinstance(value, str):
            cleaned = clean_text(value, multiline=self.multiline)
            if cleaned != value:
                setattr(model_instance, self.attname, cleaned)
            return cleaned
        return value

    def to_python(self, value):
        value = super().to_python(value)
        return clean_text(value, multiline=self.multiline) if isinstance(value, str) else value

    def formfield(self, **kwargs: Any) -> Any:  # type: ignore[override]
        if not self.choices:
            kwargs.setdefault("form_class", CleanCharField)
            if kwargs["form_class"] is CleanCharField:
                kwargs["multiline"] = self.multiline
        return super().formfield(**kwargs)


class ShortTextField(_CleanedOnSave, models.CharField):
    """A name, title or option: one line, no invisible controls, at most ``max_length`` characters.

    ``multiline=True`` keeps line breaks (a short idea or statement typed in a small text box)."""

    def __init__(self, *args, multiline: bool = False, **kwargs):
        self.multiline = multiline
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.multiline:
            kwargs["multiline"] = True
        return name, path, args, kwargs


class LongTextField(_CleanedOnSave, models.TextField):
    """Free text with line breaks: no invisible controls, and a ``max_length`` that forms and full_clean enforce."""

    multiline = True

    def __init__(self, *args, **kwargs):
        if not kwargs.get("max_length"):
            raise TypeError("LongTextField needs a max_length: every text people type is bounded.")
        super().__init__(*args, **kwargs)

    @cached_property
    def validators(self):
        return [*super().validators, MaxLengthValidator(self.max_length)]


def length_within(field: str, limit: int, *, model: str) -> models.CheckConstraint:
    """A database check that ``field`` holds at most ``limit`` characters, whatever path writes it."""
    return models.CheckConstraint(
        condition=LessThanOrEqual(Length(field), limit),
        name=f"{model}_{field}_max_length",
    )
