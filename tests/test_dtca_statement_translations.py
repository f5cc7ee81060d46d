"""The shipped DTCA carries French and Spanish wording for every statement (and every other text it translates),
so a French participant sees the whole questionnaire in French."""

import pytest

from assessments.instrument_file import DEFAULT_INSTRUMENT_FILE, read_instrument_file
from assessments.models import Dimension, Instrument, ScaleLevel, Statement
from common.translations import translated

LANGUAGES = ("fr", "es")


def test_every_statement_of_the_shipped_instrument_has_french_and_spanish():
    spec = read_instrument_file(DEFAULT_INSTRUMENT_FILE)
    statements = [
        (text, wanted)
        for dimension in spec.dimensions
        for text, wanted in zip(dimension.statements, dimension.statement_translations, strict=True)
    ]
    assert len(statements) == 30
    for text, wanted in statements:
        for language in LANGUAGES:
            assert wanted.get(language, {}).get("text"), (language, text)
            assert wanted[language]["text"] != text


def test_every_other_text_of_the_shipped_instrument_has_french_and_spanish():
    spec = read_instrument_file(DEFAULT_INSTRUMENT_FILE)
    for language in LANGUAGES:
        assert set(spec.translations[language]) == {"name", "dont_know_label", "introduction"}
        for wanted in spec.scale_translations:
            assert set(wanted[language]) == {"label", "description"}
        for dimension in spec.dimensions:
            assert set(dimension.translations[language]) == {"name", "description"}


@pytest.mark.django_db
def test_an_install_whose_statements_have_no_translations_gets_them_after_migrate():
    from assessments.instrument_file import default_instrument_after_migrate

    instrument = Instrument.objects.get(key="dtca", version=1)
    Statement.objects.filter(dimension__instrument=instrument).update(translations={})
    Instrument.objects.filter(pk=instrument.pk).update(translations={"fr": {"name": "Évaluation"}})
    default_instrument_after_migrate()
    statement = Statement.objects.filter(dimension__instrument=instrument).order_by("dimension__order", "order")[0]
    assert translated(statement, "text", "fr").startswith("Le chef du gouvernement")
    assert translated(statement, "text", "es").startswith("El jefe de Gobierno")


@pytest.mark.django_db
def test_the_installed_dtca_is_entirely_in_french_for_a_french_reader():
    instrument = Instrument.objects.get(key="dtca", version=1)
    rows = [
        *[(instrument, field) for field in ("name", "introduction", "dont_know_label")],
        *[
            (level, field)
            for level in ScaleLevel.objects.filter(instrument=instrument)
            for field in ("label", "description")
        ],
        *[(d, field) for d in Dimension.objects.filter(instrument=instrument) for field in ("name", "description")],
        *[(s, "text") for s in Statement.objects.filter(dimension__instrument=instrument)],
    ]
    assert len(rows) == 3 + 10 + 12 + 30
    for row, field in rows:
        value = translated(row, field, "fr")
        assert value.language == "fr" and not value.fell_back, (row, field)
