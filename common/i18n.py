"""A person's language: which one, switching to it where a mail or document is built, sorting in it.

How the language of a person is chosen (the first that is set):
    1. their own choice (``User.language``, on the profile page);
    2. the language of the workshop they take part in (``Workshop.language``);
    3. on pages, the browser's (``Accept-Language``, via Django's LocaleMiddleware); in mails, the site's.

Mails and documents are built by the worker, whose language is the site's: wrap their rendering in
``override_for(person)`` so dates, plurals and every marked string come out in the recipient's language.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from functools import lru_cache, wraps
from typing import TypeVar

from django.conf import settings
from django.utils import translation

T = TypeVar("T")


def supported(code: str | None) -> str | None:
    """The code if the portal speaks it (``fr-CA`` counts as ``fr``), else None."""
    if not code:
        return None
    try:
        return translation.get_supported_language_variant(code)
    except LookupError:
        return None


def language_code(value: str) -> str:
    """``en`` for ``en``, ``English``, ``anglais`` or ``inglés``: programme files may name the language in words."""
    value = (value or "").strip()
    code = supported(value)
    if code:
        return code
    wanted = value.casefold()
    for code, _name in settings.LANGUAGES:
        names = {translation.get_language_info(code)[key].casefold() for key in ("name", "name_local")}
        for other, _ in settings.LANGUAGES:
            with translation.override(other):
                names.add(str(translation.get_language_info(code)["name_translated"]).casefold())
        if wanted in names:
            return code
    return value


#: ``lookup(person) -> participation or None``; the participants app sets it in its AppConfig.ready() (common
#: imports no app).
participation_lookup = None


def workshop_language_for(person) -> str | None:
    """The language of the workshop the person currently takes part in, if any."""
    if person is None or not getattr(person, "pk", None) or participation_lookup is None:
        return None
    participation = participation_lookup(person)
    if participation is None:
        return None
    return supported(participation.cohort.workshop.language)


def language_for(person, *, workshop=None) -> str | None:
    """The person's language: their choice, else the workshop's (given, or the one they take part in)."""
    own = supported(getattr(person, "language", "") or "")
    if own:
        return own
    if workshop is not None:
        return supported(workshop.language)
    return workshop_language_for(person)


@contextmanager
def override_for(person, *, workshop=None):
    """Everything rendered inside speaks the person's language (the site's when nothing is known)."""
    with translation.override(language_for(person, workshop=workshop) or settings.LANGUAGE_CODE):
        yield


def in_language_of(person: Callable, workshop: Callable | None = None):
    """Decorator for functions that build a mail or document: they run in the recipient's language.
    ``person`` and ``workshop`` receive the function's arguments and return the recipient and workshop."""

    def decorator(function):
        @wraps(function)
        def wrapper(*args, **kwargs):
            recipient = person(*args, **kwargs)
            with override_for(recipient, workshop=workshop(*args, **kwargs) if workshop else None):
                return function(*args, **kwargs)

        return wrapper

    return decorator


@lru_cache(maxsize=1)
def _collator():
    from pyuca import Collator

    return Collator()


#: ñ and Ñ in decomposed form (n + combining tilde): Spanish sorts them as a letter of their own.
_ENYE = re.compile("([nN])\u0303")


def _spanish_elements(text: str) -> list:
    """Collation elements with the Spanish tailoring of CLDR (``&N<ñ<<<Ñ``): every primary weight doubled, and
    ñ given the odd weight just after n's, so "nz" < "ña" < "o" while accents and case still decide only at the
    later levels. The rest of the alphabet is DUCET's, as CLDR's Spanish is."""
    collator = _collator()
    decomposed = unicodedata.normalize("NFD", text)
    elements: list = []

    def doubled(chunk: str, bump: int = 0) -> None:
        for element in collator.collation_elements(chunk):
            primary = element[0] * 2 + (bump if element[0] else 0)
            elements.append((primary, *element[1:]))

    position = 0
    for match in _ENYE.finditer(decomposed):
        doubled(decomposed[position : match.start()])
        doubled(match.group(1), bump=1)  # the tilde's own (secondary) weight is dropped: ñ is a letter
        position = match.end()
    doubled(decomposed[position:])
    return elements


#: Languages whose alphabet differs from the Unicode default order (DUCET). English and French follow it
#: (modern French sorts accents from the start of the word, as DUCET does; only Canadian French did not).
TAILORINGS: dict[str, Callable[[str], list]] = {"es": _spanish_elements}


def collation_key(text: str, language: str | None = None) -> tuple:
    """A sort key in the order people of ``language`` expect (the Unicode Collation Algorithm): "Åland" beside
    "Aland", "Émile" beside "Emile", case and accents deciding only between otherwise equal names; in Spanish,
    ñ is a letter of its own after n ("nz" before "ña", "Ñandú" after "Nuzzo")."""
    text = unicodedata.normalize("NFC", str(text or ""))
    tailoring = TAILORINGS.get((language or "").split("-")[0].lower())
    if tailoring is None:
        return _collator().sort_key(text)
    return _collator().sort_key_from_collation_elements(tailoring(text))


def sorted_by(items: Iterable[T], key: Callable[[T], str], language: str | None = None) -> list[T]:
    """Items sorted by a text, in the active (or given) language's order."""
    language = language or translation.get_language()
    return sorted(items, key=lambda item: collation_key(key(item), language))
