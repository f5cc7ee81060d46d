"""Facilitators' downloads keep one language per file, chosen at download (default: their own): statements,
questions and options in it, answers of every participant in the same columns whatever language they read."""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from assessments import selectors
from assessments.models import Dimension, Statement

from .factories import CountryFactory, ParticipantFactory, UserFactory
from .factories_assessments import answer, build_instrument, build_run, team
from .factories_evaluations import EvaluationFormFactory, answer_all


@pytest.fixture
def facilitator(programme):
    user = UserFactory()
    programme.facilitators.add(user)
    return user


@pytest.fixture
def run(programme):
    instrument = build_instrument(dimensions=(("Leadership", 2),))
    Dimension.objects.filter(instrument=instrument).update(translations={"fr": {"name": "Direction"}})
    Statement.objects.filter(dimension__instrument=instrument, order=1).update(
        translations={"fr": {"text": "La direction porte la transformation."}}
    )
    return build_run(programme, instrument)


def read_csv(response):
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_the_dtca_csv_is_written_in_the_language_chosen_at_download(client, facilitator, programme, run):
    structure = selectors.instrument_structure(run.instrument)
    group = programme.cohorts.get(name="Group A")
    english, french = team(group, CountryFactory(name="Haiti"))
    french.user.language = "fr"
    french.user.save(update_fields=["language"])
    answer(run, english, [4, 2], submit=True, structure=structure)
    answer(run, french, [3, 5], submit=True, structure=structure)
    client.force_login(facilitator)

    response = client.get(reverse("dtca:export_csv", args=[programme.pk]) + "?language=fr")
    assert "-fr.csv" in response["Content-Disposition"]
    header, *rows = read_csv(response)
    assert "Leadership 1: La direction porte la transformation." in header
    assert "Leadership 2: Leadership statement number 2 is true." in header  # untranslated: the original
    assert any(column.startswith("Direction ") for column in header)
    # Everyone's answer to a statement sits in its one column, whoever read it in which language.
    column = header.index("Leadership 1: La direction porte la transformation.")
    assert sorted(row[column] for row in rows) == ["3", "4"]

    english_file = read_csv(client.get(reverse("dtca:export_csv", args=[programme.pk]) + "?language=en"))
    assert "Leadership 1: Leadership statement number 1 is true." in english_file[0]
    assert [row[column] for row in english_file[1:]] == [row[column] for row in rows]


def test_without_a_choice_the_file_is_in_the_facilitators_language(client, facilitator, programme, run):
    facilitator.language = "fr"
    facilitator.save(update_fields=["language"])
    client.force_login(facilitator)
    content = client.get(reverse("dtca:export_xlsx", args=[programme.pk])).content
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    header = [cell.value for cell in next(sheet.iter_rows(max_row=1))]
    assert "Leadership 1: La direction porte la transformation." in header


def test_an_unknown_language_falls_back_to_the_facilitators(client, facilitator, programme, run):
    client.force_login(facilitator)
    response = client.get(reverse("dtca:export_csv", args=[programme.pk]) + "?language=xx-" + "y" * 500)
    assert response.status_code == 200 and "-en.csv" in response["Content-Disposition"]


def test_the_download_forms_offer_the_language(client, facilitator, programme, run):
    client.force_login(facilitator)
    page = client.get(reverse("dtca:facilitator", args=[programme.cohorts.get(name="Group A").pk])).content.decode()
    assert 'name="language"' in page and '<option value="es" lang="es"' in page


def test_the_evaluation_export_shows_questions_and_options_in_the_chosen_language(client, facilitator, programme):
    group = programme.cohorts.get(name="Group A")
    form = EvaluationFormFactory(
        cohort=group,
        is_anonymous=False,
        questions=[
            {
                "key": "pace",
                "text": "The pace was",
                "kind": "single",
                "choices": ["Too slow", "About right", "Too fast"],
                "translations": {"es": {"text": "El ritmo fue", "choices": ["Lento", "Adecuado", "Rápido"]}},
            }
        ],
    )
    people = [ParticipantFactory(cohort=group) for _ in range(2)]
    answer_all(form, people, [{"pace": "About right"}, {"pace": "Too fast"}])
    client.force_login(facilitator)
    header, *rows = read_csv(client.get(reverse("evaluations:report_csv", args=[form.pk]) + "?language=es"))
    assert header[-1] == "1. El ritmo fue"
    assert sorted(row[-1] for row in rows) == ["Adecuado", "Rápido"]
    header, *rows = read_csv(client.get(reverse("evaluations:report_csv", args=[form.pk])))
    assert header[-1] == "1. The pace was" and sorted(row[-1] for row in rows) == ["About right", "Too fast"]
    workbook = client.get(reverse("evaluations:report_xlsx", args=[form.pk]) + "?language=es")
    assert "-es.xlsx" in workbook["Content-Disposition"]
