"""The evaluation templates file carries translations like the programme and instrument files: checked on
reading (known languages and fields, bounded texts, one label per original option), loaded onto the templates,
copied into forms, and answers still stored by the original option."""

import pytest

from common.translations import translated, translated_list
from evaluations import services
from evaluations.models import EvaluationTemplate, TemplateQuestion, TemplateSection
from evaluations.templates_file import (
    DEFAULT_TEMPLATES_FILE,
    TemplatesFileError,
    add_default_translations,
    load_templates,
    parse_templates,
)

from .factories import build_programme
from .factories_evaluations import EvaluationFormFactory


def shipped():
    return parse_templates(DEFAULT_TEMPLATES_FILE.read_text(encoding="utf-8"))


def test_every_question_of_the_shipped_templates_has_french_and_spanish():
    rows = shipped()
    assert {row["key"] for row in rows} == {"session", "course"}
    for row in rows:
        for language in ("fr", "es"):
            assert row["translations"][language]["name"]
            for section in row["sections"]:
                assert section["translations"][language]["title"]
                for question in section["questions"]:
                    texts = question["translations"][language]
                    assert texts["text"], (language, question["key"])
                    if question["help_text"]:
                        assert texts["help_text"]
                    if question["choices"]:
                        assert len(texts["choices"].splitlines()) == len(question["choices"])
                    if question["labels"]:
                        assert len(texts["scale_labels"].splitlines()) == len(question["labels"])


@pytest.mark.django_db
def test_the_loaded_templates_show_french_and_a_french_answer_is_stored_by_the_original_option():
    load_templates(shipped(), update=True)
    question = TemplateQuestion.objects.get(template__key="course", key="recommend")
    assert translated(question, "text", "fr") == "Recommanderiez-vous cet atelier à un ou une collègue ?"
    assert translated(TemplateSection.objects.get(template__key="session", order=0), "title", "es") == "La sesión"
    assert translated(EvaluationTemplate.objects.get(key="course"), "name", "fr") == "Évaluation de la formation"

    workshop = build_programme(sessions=1)
    form = EvaluationFormFactory(cohort=workshop.cohorts.get(name="Group A"), questions=[])
    services.reload_questions(form, EvaluationTemplate.objects.get(key="course"))
    recommend = form.questions.get(key="recommend")
    assert recommend.choices == ["Yes, definitely", "Probably", "Not sure", "Probably not", "No"]
    assert translated_list(recommend, "choices", "fr")[0] == "Oui, certainement"
    assert translated_list(form.questions.get(key="overall"), "scale_labels", "es")[4] == "Excelente"
    assert translated(recommend, "section_title", "fr") == "L’ensemble de la formation"


TEMPLATE = """
templates:
  - key: t
    name: T
    sections:
      - title: S
        questions:
          - key: q
            text: Pick one
            kind: single
            choices: [A, B]
            translations: %s
"""


@pytest.mark.parametrize(
    ("translations", "message"),
    [
        ("{de: {text: Wählen}}", "templates[0].sections[0].questions[0].translations"),
        ("{fr: {colour: Rouge}}", "templates[0].sections[0].questions[0].translations"),
        ("{fr: {choices: [Un]}}", "translations.fr.choices: expected a list of 2 texts"),
        ("{fr: {text: %s}}" % ("x" * 301), "templates[0].sections[0].questions[0].translations"),
        ("[fr]", "expected languages"),
    ],
)
def test_bad_translations_in_the_file_are_refused_with_their_place(translations, message):
    with pytest.raises(TemplatesFileError) as error:
        parse_templates(TEMPLATE % translations)
    assert message in str(error.value)


@pytest.mark.django_db
def test_an_install_without_translations_gets_them_unless_an_organizer_changed_the_text():
    load_templates(shipped(), update=True)
    TemplateQuestion.objects.update(translations={})
    EvaluationTemplate.objects.update(translations={})
    TemplateQuestion.objects.filter(key="improve").update(text="What would you change?")
    assert add_default_translations() > 0
    assert translated(TemplateQuestion.objects.get(key="relevance"), "text", "fr").startswith("La séance")
    assert TemplateQuestion.objects.get(key="improve").translations == {}  # edited: left alone
    assert translated(EvaluationTemplate.objects.get(key="session"), "name", "es") == "Evaluación de la sesión"
