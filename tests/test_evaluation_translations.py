"""An evaluation form keeps its questions' translations in its snapshot: a French participant answers in French,
and the answers are stored by the original option, so they are counted with everyone else's."""

import pytest
from django.urls import reverse

from evaluations import services
from evaluations.models import Answer, EvaluationForm, EvaluationTemplate, TemplateQuestion, TemplateSection

from .factories import ParticipantFactory, build_programme
from .factories_evaluations import EvaluationFormFactory


@pytest.fixture
def template(db):
    template = EvaluationTemplate.objects.create(key="bilingual", name="Bilingual", kind="course")
    section = TemplateSection.objects.create(
        template=template, order=1, title="The course", translations={"fr": {"title": "Le cours"}}
    )
    TemplateQuestion.objects.create(
        section=section,
        order=1,
        key="pace",
        text="The pace was",
        kind="single",
        choices="Too slow\nAbout right\nToo fast",
        translations={"fr": {"text": "Le rythme était", "choices": "Trop lent\nAdapté\nTrop rapide"}},
    )
    return template


def test_the_form_snapshot_keeps_the_templates_translations(template):
    workshop = build_programme(sessions=1)
    form = EvaluationFormFactory(cohort=workshop.cohorts.get(name="Group A"), questions=[])
    services.reload_questions(form, template)
    question = form.questions.get()
    assert question.choices == ["Too slow", "About right", "Too fast"]
    assert question.translations["fr"] == {
        "text": "Le rythme était",
        "section_title": "Le cours",
        "choices": ["Trop lent", "Adapté", "Trop rapide"],
    }
    # Editing the template later does not change the form people answer.
    TemplateQuestion.objects.filter(key="pace").update(translations={"fr": {"text": "Autre chose"}})
    assert form.questions.get().translations["fr"]["text"] == "Le rythme était"


def test_a_french_participant_answers_in_french_and_the_answer_is_stored_by_the_original_option(client, db):
    workshop = build_programme(sessions=1)
    group = workshop.cohorts.get(name="Group A")
    form = EvaluationFormFactory(
        cohort=group,
        is_anonymous=False,
        questions=[
            {
                "key": "pace",
                "text": "The pace was",
                "kind": "single",
                "choices": ["Too slow", "About right", "Too fast"],
                "translations": {"fr": {"text": "Le rythme était", "choices": ["Trop lent", "Adapté", "Trop rapide"]}},
            },
            {"key": "improve", "text": "What should we improve?", "kind": "text", "required": False},
        ],
    )
    participant = ParticipantFactory(cohort=group)
    participant.user.language = "fr"
    participant.user.save(update_fields=["language"])
    client.force_login(participant.user)
    page = client.get(reverse("evaluations:form", args=[form.pk])).content.decode()
    assert "Le rythme était" in page and "Adapté" in page
    assert 'value="About right"' in page  # the value sent is the original option
    assert "What should we improve?" in page and "translation-note" in page  # untranslated, and said so
    response = client.post(reverse("evaluations:form", args=[form.pk]), {"pace": "About right", "improve": ""})
    assert response.status_code in (200, 302)
    assert Answer.objects.get(question__form=form, question__key="pace").choice == "About right"
    assert EvaluationForm.objects.get(pk=form.pk).completions.count() == 1
