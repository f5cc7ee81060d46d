"""The workshop report is made in the language chosen when it is asked for (default: the reader's), like the
other downloads: the workshop's and sessions' titles in that language where translated; the file name says it."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from reports.models import GeneratedReport

from .factories import UserFactory, build_programme


@pytest.fixture
def workshop(db):
    workshop = build_programme(sessions=2)
    workshop.language = "en"
    workshop.translations = {"fr": {"title": "Atelier sur le gouvernement numérique"}}
    workshop.save(update_fields=["language", "translations"])
    session = workshop.sessions.get(number=1)
    session.title = "Key Concepts of Digital Government"
    session.translations = {"fr": {"title": "Notions clés du gouvernement numérique"}}
    session.save(update_fields=["title", "translations"])
    return workshop


@pytest.fixture
def facilitator_client(client, workshop):
    user = UserFactory(language="en")
    workshop.facilitators.add(user)
    client.force_login(user)
    return client


def make(client, workshop, callbacks_fixture, **extra):
    with callbacks_fixture(execute=True):
        client.post(reverse("reports:generate", args=[workshop.pk]), {"format": "xlsx", **extra})
    report = GeneratedReport.objects.get(workshop=workshop, format="xlsx")
    response = client.get(reverse("reports:download", args=[report.pk]))
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    values = {str(v) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for v in row if v}
    return report, response, values


def test_a_report_asked_for_in_french_has_french_titles_and_a_french_file_name(
    facilitator_client, workshop, django_capture_on_commit_callbacks
):
    report, response, values = make(facilitator_client, workshop, django_capture_on_commit_callbacks, language="fr")
    assert report.language == "fr"
    assert response["Content-Disposition"].endswith('-fr.xlsx"')
    assert "Notions clés du gouvernement numérique" in values
    assert "Atelier sur le gouvernement numérique" in values
    assert "Key Concepts of Digital Government" not in values


def test_without_a_choice_the_report_is_in_the_reader_s_language(
    facilitator_client, workshop, django_capture_on_commit_callbacks
):
    report, response, values = make(facilitator_client, workshop, django_capture_on_commit_callbacks)
    assert report.language == "en"
    assert "Key Concepts of Digital Government" in values
    assert "Notions clés du gouvernement numérique" not in values


def test_an_unknown_language_is_refused(facilitator_client, workshop):
    facilitator_client.post(reverse("reports:generate", args=[workshop.pk]), {"format": "xlsx", "language": "xx"})
    assert not GeneratedReport.objects.exists()
