"""Programme and instrument files carry translations; export then import round-trips them; bad ones are refused."""

import pytest
import yaml
from django.urls import reverse

from assessments.instrument_file import InstrumentFileError, dump_instrument, parse_instrument
from assessments.models import Dimension, Instrument, ScaleLevel, Statement
from assessments.services import load_instrument
from sessions_app.models import AgendaItem, Session, Workshop
from sessions_app.programme_file import ProgrammeError, dump_document, parse_document
from sessions_app.selectors import export_programme
from sessions_app.services import import_programme

from .factories import build_programme
from .factories_assessments import answer, build_instrument, build_run, team


@pytest.fixture
def translated_programme(db):
    workshop = build_programme(sessions=2, items_per_session=2)
    workshop.translations = {"fr": {"title": "Atelier"}, "es": {"title": "Taller", "objectives": "Uno\nDos"}}
    workshop.additional_languages = ["fr", "es"]
    workshop.save()
    session = workshop.sessions.get(number=1)
    session.translations = {"fr": {"title": "Notions clés", "objectives": "Comprendre\nAgir"}}
    session.save()
    item = session.agenda_items.first()
    item.translations = {"es": {"title": "Bienvenida", "description": "Palabras de apertura"}}
    item.save()
    task = session.tasks.first()
    task.translations = {"fr": {"title": "Lire le rapport", "instructions": "Pages 1 à 5."}}
    task.save()
    return workshop


def test_the_programme_file_round_trips_its_translations(translated_programme):
    text = dump_document(export_programme(translated_programme))
    assert "Notions clés" in text and "Bienvenida" in text
    copy = import_programme(parse_document(text), slug="copy")
    assert copy.translations == translated_programme.translations
    assert copy.additional_languages == ["fr", "es"]
    original = {s.number: s.translations for s in translated_programme.sessions.all()}
    assert {s.number: s.translations for s in copy.sessions.all()} == original
    assert (
        AgendaItem.objects.get(
            session__workshop=copy, title=translated_programme.sessions.get(number=1).agenda_items.first().title
        ).translations["es"]["title"]
        == "Bienvenida"
    )
    assert copy.sessions.get(number=1).tasks.first().translations["fr"]["title"] == "Lire le rapport"
    assert export_programme(copy)["sessions"] == export_programme(translated_programme)["sessions"]


def test_a_file_without_translations_stays_without_them(db):
    document = export_programme(build_programme(sessions=1))
    assert "translations" not in document["workshop"] and "translations" not in document["sessions"][0]


@pytest.mark.parametrize(
    ("translations", "message"),
    [
        ({"de": {"title": "Grundbegriffe"}}, "Unknown language"),
        ({"fr": {"number": "1"}}, "cannot be translated"),
        ({"fr": {"title": "x" * 400}}, "at most"),
    ],
)
def test_a_programme_file_with_bad_translations_imports_nothing_and_says_where(
    translated_programme, translations, message
):
    document = export_programme(translated_programme)
    document["workshop"]["slug"] = "broken"
    document["sessions"][1]["translations"] = translations
    with pytest.raises(ProgrammeError, match=rf"sessions\[1\]\.translations: .*{message}"):
        import_programme(document)
    assert not Workshop.objects.filter(slug="broken").exists()


def test_additional_languages_in_a_programme_file_are_bounded(translated_programme):
    document = export_programme(translated_programme)
    document["workshop"]["slug"] = "broken"
    document["workshop"]["additional_languages"] = ["fr", "klingon"]
    with pytest.raises(ProgrammeError, match="additional_languages"):
        import_programme(document)


def _translate(instrument):
    Instrument.objects.filter(pk=instrument.pk).update(translations={"fr": {"name": "Évaluation"}})
    ScaleLevel.objects.filter(instrument=instrument, value=1).update(translations={"es": {"label": "Inexistente"}})
    dimension = Dimension.objects.filter(instrument=instrument).order_by("order").first()
    Dimension.objects.filter(pk=dimension.pk).update(translations={"fr": {"name": "Leadership (fr)"}})
    Statement.objects.filter(dimension=dimension, order=1).update(translations={"fr": {"text": "Énoncé un."}})
    return Instrument.objects.get(pk=instrument.pk)


def test_the_instrument_file_round_trips_its_translations(db):
    instrument = _translate(build_instrument(key="bilingual", dimensions=(("Leadership", 2),)))
    text = dump_instrument(instrument)
    data = yaml.safe_load(text)
    data["version"] = 2
    copy, changed = load_instrument(parse_instrument(yaml.safe_dump(data, allow_unicode=True)))
    assert changed and copy.version == 2
    assert yaml.safe_load(dump_instrument(copy)) == {**yaml.safe_load(text), "version": 2}
    statement = Statement.objects.get(dimension__instrument=copy, order=1)
    assert statement.translations == {"fr": {"text": "Énoncé un."}}


def test_an_answered_instrument_still_takes_translations_from_its_file(db, programme):
    instrument = build_instrument(key="answered", dimensions=(("Leadership", 2),))
    run = build_run(programme, instrument)
    [member] = team(programme.cohorts.get(name="Group A"), size=1)
    answer(run, member, [3, 4], submit=True)
    data = yaml.safe_load(dump_instrument(instrument))
    data["dimensions"][0]["statements"][0] = {
        "text": data["dimensions"][0]["statements"][0],
        "translations": {"es": {"text": "Primera afirmación."}},
    }
    _instrument, changed = load_instrument(parse_instrument(yaml.safe_dump(data, allow_unicode=True)))
    assert changed
    assert Statement.objects.get(dimension__instrument=instrument, order=1).translations["es"]["text"] == (
        "Primera afirmación."
    )
    data["dimensions"][0]["statements"][1] = "A changed statement."
    with pytest.raises(InstrumentFileError, match="already has answers"):
        load_instrument(parse_instrument(yaml.safe_dump(data, allow_unicode=True)))


def test_an_instrument_file_with_a_translation_in_an_unknown_language_is_refused(db):
    data = yaml.safe_load(dump_instrument(build_instrument(key="bad", dimensions=(("Leadership", 1),))))
    data["scale"][0]["translations"] = {"zz": {"label": "?"}}
    with pytest.raises(InstrumentFileError, match=r"scale\[0\]\.translations"):
        parse_instrument(yaml.safe_dump(data))


def test_the_shipped_programme_and_instrument_carry_french_and_spanish_titles(demo):
    sessions = Session.objects.filter(workshop=demo).order_by("number")
    assert all(s.translations["fr"]["title"] and s.translations["es"]["title"] for s in sessions)
    assert demo.additional_languages == ["fr", "es"]
    dtca = Instrument.objects.get(key="dtca", version=1)
    assert dtca.translations["fr"]["dont_know_label"] == "Je ne sais pas"


def test_the_french_demo_participant_in_haiti_sees_the_programme_in_french(demo, client):
    from participants.models import Participant

    me = Participant.objects.select_related("user", "country", "cohort").get(user__email="participant-fr@demo.test")
    assert (me.user.language, me.country.code, me.cohort.name) == ("fr", "HT", "Group B")
    client.force_login(me.user)
    page = client.get(reverse("sessions:schedule")).content.decode()
    assert "Évaluation des capacités d’innovation et de transformation numérique des administrations" in page
    occurrence = demo.sessions.get(number=1).occurrences.get(cohort=me.cohort)
    page = client.get(reverse("sessions:detail", args=[occurrence.pk])).content.decode()
    assert "Mot de bienvenue de la CARICOM" in page and 'lang="fr"' in page
