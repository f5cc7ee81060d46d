"""A person's language: chosen by them, else their workshop's, else their browser's; pages and mails speak it."""

from datetime import UTC, datetime

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from common import i18n, timefmt
from participants.services import invitation_message

from .factories import ParticipantFactory, UserFactory

MOMENT = datetime(2026, 12, 2, 14, 0, tzinfo=UTC)


@pytest.fixture
def french_participant(programme):
    participant = ParticipantFactory(cohort=programme.cohorts.get(name="Group A"))
    participant.user.language = "fr"
    participant.user.save()
    return participant


def test_a_person_who_chose_french_gets_french_pages(client, french_participant):
    client.force_login(french_participant.user)
    response = client.get(reverse("sessions:home"), HTTP_ACCEPT_LANGUAGE="es")
    page = response.content.decode()
    assert '<html lang="fr" dir="ltr">' in page
    assert response["Content-Language"] == "fr"
    assert "bootstrap.rtl" not in page


def test_without_a_choice_the_workshop_language_applies_then_the_browser(client, programme):
    programme.language = "es"
    programme.save()
    participant = ParticipantFactory(cohort=programme.cohorts.get(name="Group A"))
    client.force_login(participant.user)
    assert '<html lang="es"' in client.get(reverse("sessions:home"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    client.logout()
    assert '<html lang="fr"' in client.get(reverse("sessions:home"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert '<html lang="en"' in client.get(reverse("sessions:home"), HTTP_ACCEPT_LANGUAGE="de").content.decode()


def test_the_profile_page_saves_the_language(client, participant):
    client.force_login(participant.user)
    page = client.get(reverse("participants:profile")).content.decode()
    assert 'name="language"' in page and "Français" in page
    data = {"first_name": "Ana", "last_name": "Díaz", "language": "es", "timezone": "", "email_notifications": "on"}
    client.post(reverse("participants:profile"), data)
    participant.user.refresh_from_db()
    assert participant.user.language == "es"
    assert '<html lang="es"' in client.get(reverse("sessions:home")).content.decode()


def test_dates_through_timefmt_speak_the_active_language():
    with translation.override("fr"):
        assert timefmt.date_text(MOMENT, zone="UTC") == "mercredi 2 décembre 2026"
    with translation.override("es"):
        assert timefmt.date_text(MOMENT, zone="UTC") == "miércoles, 2 de diciembre de 2026"  # locale/es
    assert timefmt.date_text(MOMENT, zone="UTC") == "Wednesday 2 December 2026"


def test_a_mail_built_by_an_english_worker_for_a_french_recipient_has_french_dates(french_participant):
    translation.activate("en")  # the worker: site language, UTC
    message = invitation_message(french_participant)
    months = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre")
    months += ("novembre", "décembre")
    days = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
    assert any(month in message.body for month in months)
    assert any(day in message.body for day in days)
    assert translation.get_language() == "en"  # the worker's language is back afterwards
    english = ParticipantFactory(cohort=french_participant.cohort)
    assert not any(day in invitation_message(english).body for day in days)


def test_override_for_prefers_the_person_then_the_workshop(programme):
    user = UserFactory(language="")
    programme.language = "es"
    with i18n.override_for(user, workshop=programme):
        assert translation.get_language() == "es"
    user.language = "fr"
    with i18n.override_for(user, workshop=programme):
        assert translation.get_language() == "fr"
    with i18n.override_for(None):
        assert translation.get_language() == "en"


@pytest.mark.parametrize("language", ["en", "fr"])
def test_names_and_countries_sort_in_the_readers_order(language):
    names = ["Zambia", "Åland", "Albania", "Émile", "Eve", "edgar", "Ñandú", "Nauru", "Oman"]
    with translation.override(language):
        ordered = i18n.sorted_by(names, str)
    assert ordered == ["Åland", "Albania", "edgar", "Émile", "Eve", "Ñandú", "Nauru", "Oman", "Zambia"]
    assert sorted(names)[:2] == ["Albania", "Eve"]  # code-point order: capitals first, accented letters last


def test_programme_files_may_name_the_language_in_words():
    assert i18n.language_code("English") == "en"
    assert i18n.language_code("Français") == "fr"
    assert i18n.language_code("espagnol") == "es"
    assert i18n.language_code("fr-CA") == "fr"


def test_the_base_template_turns_right_to_left_for_a_bidi_language(rf: RequestFactory, db):
    request = rf.get("/")
    request.user = UserFactory()
    with translation.override("ar"):
        page = render_to_string("base.html", request=request)
    assert 'dir="rtl"' in page and "bootstrap.rtl.min.css" in page
