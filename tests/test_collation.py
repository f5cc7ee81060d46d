"""Sorting of names and countries follows the language: Spanish ñ is a letter after n; French and English sort
accents and capitals after the letters (the Unicode default order)."""

import pytest
from django.utils import translation

from common.i18n import collation_key, sorted_by
from nominations import selectors

from .factories import CountryFactory, build_programme
from .factories_nominations import CallFactory


def in_order(names, language):
    return sorted(names, key=lambda name: collation_key(name, language))


def test_spanish_sorts_n_tilde_as_its_own_letter_after_n():
    assert in_order(["ña", "nz", "o", "Nuñez", "Nuzzo", "nada"], "es") == ["nada", "Nuñez", "Nuzzo", "nz", "ña", "o"]
    assert in_order(["Ñandú", "Nicaragua", "Noruega", "Oman"], "es") == ["Nicaragua", "Noruega", "Ñandú", "Oman"]


def test_spanish_keeps_accents_and_capitals_as_later_differences():
    assert in_order(["Perú", "peru", "Peru", "Pérez"], "es") == ["Pérez", "peru", "Peru", "Perú"]
    assert in_order(["Ñu", "ñu", "nu"], "es") == ["nu", "ñu", "Ñu"]


def test_english_and_french_follow_the_default_order_where_n_tilde_is_an_accented_n():
    assert in_order(["ña", "nz"], "fr") == ["ña", "nz"]
    assert in_order(["ña", "nz"], "en") == ["ña", "nz"]


def test_french_puts_aland_and_accented_names_beside_their_letters():
    names = ["Zambie", "Åland", "Égypte", "Estonie", "Émile", "Emile", "Albanie", "Éthiopie", "Aland"]
    assert in_order(names, "fr") == [
        "Aland",
        "Åland",
        "Albanie",
        "Égypte",
        "Emile",
        "Émile",
        "Estonie",
        "Éthiopie",
        "Zambie",
    ]


def test_sorted_by_uses_the_active_language():
    with translation.override("es"):
        assert sorted_by(["ña", "nz"], str) == ["nz", "ña"]
    with translation.override("fr"):
        assert sorted_by(["ña", "nz"], str) == ["ña", "nz"]


@pytest.mark.django_db
def test_the_nomination_review_lists_countries_in_the_readers_order():
    workshop = build_programme(sessions=1)
    call = CallFactory(workshop=workshop)
    names = ["Ñandutí", "Nueva Zelandia", "Åland", "Oman", "Estonia", "Égypte"]
    call.countries.set([CountryFactory(name=name) for name in names])
    with translation.override("es"):
        spanish = [row.country.name for row in selectors.review(call).rows]
    with translation.override("fr"):
        french = [row.country.name for row in selectors.review(call).rows]
    assert spanish == ["Åland", "Égypte", "Estonia", "Nueva Zelandia", "Ñandutí", "Oman"]
    assert french == ["Åland", "Égypte", "Estonia", "Ñandutí", "Nueva Zelandia", "Oman"]
