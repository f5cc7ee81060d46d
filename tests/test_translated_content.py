"""Translated content: a page shows the reader's language where a translation exists and the original otherwise,
saying so; translations are bounded; the pages cost no extra query for them."""

import pytest
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from action_plans.models import Sdg
from common.translations import clean_translations, translated, translated_list
from sessions_app.models import Session, SessionOccurrence, Workshop

from .factories import ParticipantFactory, build_programme
from .factories_action_plans import sdg_task


@pytest.fixture(autouse=True)
def before_the_workshop(time_machine):
    time_machine.move_to("2021-02-10T12:00:00Z")


def french(participant):
    participant.user.language = "fr"
    participant.user.save(update_fields=["language"])
    return participant


def test_a_translation_is_shown_in_its_language_without_a_note(db):
    workshop = build_programme(sessions=1)
    session = workshop.sessions.get()
    session.translations = {"fr": {"title": "Notions clés"}}
    session.save()
    with translation.override("fr"):
        title = translated(session, "title")
    assert title == "Notions clés" and title.language == "fr" and not title.fell_back


def test_without_a_translation_the_workshops_language_is_shown_and_said(db):
    workshop = build_programme(sessions=1)
    session = Session.objects.select_related("workshop").get(workshop=workshop)
    with translation.override("es"):
        title = translated(session, "title")
        html = Template('{% load translated %}{% translated_text session "title" %}').render(
            Context({"session": session})
        )
    assert title == session.title and title.language == "en" and title.fell_back
    assert f'<span lang="en">{session.title}</span>' in html
    assert "translation-note" in html


def test_a_french_workshop_shows_its_french_original_to_an_english_reader_with_a_note(db):
    workshop = build_programme(sessions=1)
    Workshop.objects.filter(pk=workshop.pk).update(language="fr")
    session = Session.objects.select_related("workshop").get(workshop=workshop)
    with translation.override("en"):
        title = translated(session, "title")
    assert title.language == "fr" and title.fell_back


def test_the_original_language_is_shown_without_a_note_to_its_readers(db):
    session = Session.objects.select_related("workshop").get(workshop=build_programme(sessions=1))
    with translation.override("en"):
        assert not translated(session, "title").fell_back


@pytest.mark.parametrize(
    "value",
    [
        {"de": {"title": "Grundbegriffe"}},  # a language the portal does not speak
        {"fr": {"slug": "notions"}},  # a field that is not translatable
        {"fr": {"title": "x" * 301}},  # longer than the original field allows
        {"fr": "Notions clés"},  # not a mapping of fields
        ["fr"],
    ],
)
def test_translations_outside_the_bounds_are_refused(db, value):
    with pytest.raises(ValidationError):
        clean_translations(Session, value)


def test_translations_are_cleaned_and_empty_ones_dropped(db):
    cleaned = clean_translations(Session, {"fr": {"title": "  Notions\u202e clés  ", "objectives": ""}, "es": {}})
    assert cleaned == {"fr": {"title": "Notions clés"}}


def test_saving_a_row_with_unchecked_translations_fails(db):
    session = build_programme(sessions=1).sessions.get()
    session.translations = {"xx": {"title": "?"}}
    with pytest.raises(ValidationError):
        session.save()


def test_the_additional_languages_of_a_workshop_are_bounded(db):
    workshop = build_programme(sessions=1)
    workshop.additional_languages = ["fr", "de"]
    with pytest.raises(ValidationError):
        workshop.full_clean()
    workshop.additional_languages = ["en"]  # its own language
    with pytest.raises(ValidationError):
        workshop.full_clean()
    workshop.additional_languages = ["fr", "es"]
    workshop.full_clean()
    assert workshop.content_languages == ["en", "fr", "es"]


def test_a_list_translation_of_another_length_falls_back_to_the_original_options(db):
    from evaluations.models import FormQuestion

    question = FormQuestion(choices=["Yes", "No"], translations={"fr": {"choices": ["Oui"]}})
    with translation.override("fr"):
        assert translated_list(question, "choices") == ["Yes", "No"]
    question.translations = {"fr": {"choices": ["Oui", "Non"]}}
    with translation.override("fr"):
        assert translated_list(question, "choices") == ["Oui", "Non"]


def _session_page(client, participant):
    occurrence = SessionOccurrence.objects.filter(cohort=participant.cohort).order_by("starts_at").first()
    client.force_login(participant.user)
    url = reverse("sessions:detail", args=[occurrence.pk])
    client.get(url)  # the first visit fills the session's memory
    return url


def test_a_french_participant_sees_the_french_session_title_and_agenda_with_the_same_queries(
    client, db, django_assert_num_queries, django_assert_max_num_queries
):
    workshop = build_programme(sessions=2, items_per_session=4)
    group = workshop.cohorts.get(name="Group A")
    session = workshop.sessions.get(number=1)
    english = ParticipantFactory(cohort=group)
    url = _session_page(client, english)
    with django_assert_max_num_queries(50) as untranslated:
        page = client.get(url).content.decode()
    expected = len(untranslated)  # read now: the next capture resets the connection's query log
    assert session.title in page and "translation-note" not in page

    session.translations = {"fr": {"title": "Innovation : notions clés"}}
    session.save()
    items = list(session.agenda_items.all())
    items[0].translations = {"fr": {"title": "Mot de bienvenue"}}
    items[0].save()
    participant = french(ParticipantFactory(cohort=group))
    url = _session_page(client, participant)
    with django_assert_num_queries(expected):
        page = client.get(url).content.decode()
    assert "Innovation : notions clés" in page
    assert "Mot de bienvenue" in page
    # The items without a French title are shown in the workshop's language, marked as such.
    assert f'<span lang="en">{items[1].title}</span>' in page
    assert "translation-note" in page


def test_a_french_participant_sees_the_official_french_text_of_their_sdg(client, db):
    workshop = build_programme(sessions=2)
    participant = french(ParticipantFactory(cohort=workshop.cohorts.get(name="Group A")))
    task = sdg_task(workshop)
    client.force_login(participant.user)
    client.post(
        reverse("action_plans:sdg_choice", args=[task.pk]),
        {"sdg": Sdg.objects.get(number=16).pk, "note": "Des institutions au service de tous."},
    )
    page = client.get(reverse("preparation:task", args=[task.pk])).content.decode()
    assert "Paix, justice et institutions efficaces" in page
    assert "Promouvoir l’avènement de sociétés pacifiques et inclusives" in page
    assert "16 · Paix, justice et institutions efficaces" in page  # the choice list too


def test_the_shipped_sdgs_carry_the_un_french_and_spanish_wording(db):
    goals = {goal.number: goal for goal in Sdg.objects.all()}
    assert len(goals) == 17 and all(set(goal.translations) == {"fr", "es"} for goal in goals.values())
    assert goals[1].translations["fr"]["title"] == (
        "Éliminer la pauvreté sous toutes ses formes et partout dans le monde"
    )
    assert goals[1].translations["es"]["title"] == "Poner fin a la pobreza en todas sus formas en todo el mundo"
    assert goals[13].translations["es"]["short_name"] == "Acción por el clima"
