"""A certificate prints the workshop's title and subtitle in its holder's language where the workshop carries a
translation, whoever downloads it (the holder, or an organizer's zip of the group)."""

import io
import zipfile

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from attendance.models import Certificate

from .factories_live import enrol, live_workshop, mark, occurrence_of

TITLE_FR = "Innovation et gouvernement numérique dans les Caraïbes"
SUBTITLE_FR = "atelier de formation en ligne"


@pytest.fixture(autouse=True)
def _site_language_afterwards():
    # A French person's request leaves French active in this thread (UserLanguageMiddleware activates it and
    # nothing resets it between tests); the next test file must not inherit it.
    yield
    translation.deactivate()


@pytest.fixture
def workshop(db):
    workshop = live_workshop(sessions=2)
    workshop.language = "en"
    workshop.title = "Innovation and Digital Government in the Caribbean"
    workshop.subtitle = "Online Training Workshop"
    workshop.translations = {"fr": {"title": TITLE_FR, "subtitle": SUBTITLE_FR}}
    workshop.save()
    return workshop


@pytest.fixture
def attendees(workshop, time_machine):
    """Two people present at both sessions: the first reads French, the second English."""
    group = enrol(workshop.cohorts.get(name="Group A"), countries=1)
    for number in (1, 2):
        mark(occurrence_of(workshop, number=number), group)
    group[0].user.language = "fr"
    group[0].user.save(update_fields=["language"])
    group[1].user.language = "en"
    group[1].user.save(update_fields=["language"])
    time_machine.move_to("2021-05-01T12:00:00Z")
    return group


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_a_french_participant_s_certificate_shows_the_french_workshop_title(client, attendees):
    client.force_login(attendees[0].user)
    response = client.post(reverse("attendance:my_certificate_pdf"))
    assert response.status_code == 200
    text = " ".join(pdf_text(response.content).split())
    assert TITLE_FR in text
    assert SUBTITLE_FR in text
    assert "Innovation and Digital Government" not in text
    # What was certified (the copy kept for verification) stays the original.
    assert Certificate.objects.get(participant=attendees[0]).workshop_title.startswith("Innovation and Digital")


def test_an_organizer_s_zip_holds_each_certificate_in_its_holder_s_language(
    organizer, attendees, workshop, django_capture_on_commit_callbacks
):
    from common.models import BackgroundFile

    client = Client()
    client.force_login(organizer)
    cohort = workshop.cohorts.get(name="Group A")
    with django_capture_on_commit_callbacks(execute=True):  # the worker makes the zip (eagerly in tests)
        client.post(reverse("attendance:group_certificates_zip", args=[cohort.pk]))
    record = BackgroundFile.objects.get(kind="attendance.group_certificates", target=str(cohort.pk))
    response = client.get(reverse("common:background_download", args=[record.pk]))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    texts = {name: " ".join(pdf_text(archive.read(name)).split()) for name in archive.namelist()}
    french = next(text for text in texts.values() if attendees[0].user.get_full_name() in text)
    english = next(text for text in texts.values() if attendees[1].user.get_full_name() in text)
    assert TITLE_FR in french
    assert "Innovation and Digital Government in the Caribbean" in english
    assert TITLE_FR not in english


def test_a_certificate_keeps_the_title_it_was_issued_with_when_the_workshop_is_renamed(client, attendees, workshop):
    client.force_login(attendees[0].user)
    client.post(reverse("attendance:my_certificate_pdf"))
    workshop.title = "A renamed workshop"
    workshop.save(update_fields=["title"])
    text = " ".join(pdf_text(client.post(reverse("attendance:my_certificate_pdf")).content).split())
    assert "Innovation and Digital Government in the Caribbean" in text
