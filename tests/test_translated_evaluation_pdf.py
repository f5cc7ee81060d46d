"""The evaluation PDFs are written in the language chosen at download (``?language=``), like the other files:
question texts, options and section titles in that language where the form's snapshot carries a translation."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from .factories import ParticipantFactory, UserFactory, build_programme
from .factories_evaluations import EvaluationFormFactory, answer_all


@pytest.fixture
def setting(db):
    workshop = build_programme(sessions=1)
    workshop.language = "en"
    workshop.save(update_fields=["language"])
    facilitator = UserFactory(language="en")
    workshop.facilitators.add(facilitator)
    group = workshop.cohorts.get(name="Group A")
    form = EvaluationFormFactory(
        cohort=group,
        is_anonymous=False,
        questions=[
            {
                "key": "pace",
                "text": "The pace was",
                "section_title": "The course",
                "kind": "single",
                "choices": ["Too slow", "About right", "Too fast"],
                "translations": {
                    "fr": {
                        "text": "Le rythme était",
                        "section_title": "Le cours",
                        "choices": ["Trop lent", "Adapté", "Trop rapide"],
                    }
                },
            },
        ],
    )
    people = [ParticipantFactory(cohort=group) for _ in range(3)]
    answer_all(form, people, [{"pace": "About right"}, {"pace": "Too fast"}, {"pace": "About right"}])
    return {"workshop": workshop, "form": form, "facilitator": facilitator}


def pdf_text(content: bytes) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(content)).pages)


def test_the_evaluation_pdf_in_french_shows_the_french_question_text_and_options(client, setting):
    client.force_login(setting["facilitator"])
    response = client.get(reverse("evaluations:report_pdf", args=[setting["form"].pk]), {"language": "fr"})
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('-fr.pdf"')
    text = pdf_text(response.content)
    assert "Le rythme était" in text
    assert "Le cours" in text
    assert "Adapté" in text
    assert "The pace was" not in text and "About right" not in text


def test_the_evaluation_pdf_in_english_keeps_the_originals(client, setting):
    client.force_login(setting["facilitator"])
    response = client.get(reverse("evaluations:report_pdf", args=[setting["form"].pk]), {"language": "en"})
    text = pdf_text(response.content)
    assert "The pace was" in text and "About right" in text
    assert "Le rythme" not in text


def test_the_workshop_s_evaluation_pdf_follows_the_chosen_language(client, setting):
    client.force_login(setting["facilitator"])
    response = client.get(reverse("evaluations:reports_pdf", args=[setting["workshop"].pk]), {"language": "fr"})
    assert response["Content-Disposition"].endswith('-evaluations-fr.pdf"')
    assert "Le rythme était" in pdf_text(response.content)
