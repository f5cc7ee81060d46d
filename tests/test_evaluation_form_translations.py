"""An evaluation form's title and introduction in each participant's language (issue #16): written in the
workshop's language when the form is made, with translations for every other language; shown translated on the
evaluation page, the home's to-do and the messages; in the chosen language in downloads; edited side by side in
the admin."""

import importlib
import io
from datetime import timedelta

import lxml.html
import openpyxl
import pytest
from django.apps import apps
from django.urls import reverse
from pypdf import PdfReader

from evaluations import services
from evaluations.models import EvaluationForm, EvaluationTemplate

from .factories import ParticipantFactory, UserFactory, build_programme
from .factories_evaluations import EvaluationFormFactory

INTRO = "Tell us how the session went."
INTRO_FR = "Dites-nous comment la séance s’est passée."


@pytest.fixture
def workshop(db):
    workshop = build_programme(sessions=1, items_per_session=0, tasks_per_session=0, groups=("Group A",))
    workshop.sessions.update(title="Listening", translations={"fr": {"title": "Écouter"}})
    template = EvaluationTemplate.objects.get(kind="session", is_default=True)
    template.intro = INTRO
    template.translations = {**template.translations, "fr": {**template.translations.get("fr", {}), "intro": INTRO_FR}}
    template.save()
    return workshop


def session_form(workshop) -> EvaluationForm:
    services.ensure_forms(workshop)
    return EvaluationForm.objects.select_related("occurrence").get(cohort__workshop=workshop, kind="session")


def reader(workshop, language):
    participant = ParticipantFactory(cohort=workshop.cohorts.get())
    participant.user.language = language
    participant.user.save(update_fields=["language"])
    return participant


def test_a_new_form_is_written_in_the_workshops_language_with_the_others_as_translations(workshop):
    form = session_form(workshop)
    assert form.title == "Session 1: Listening" and form.intro == INTRO
    assert form.translations["fr"] == {"title": "Séance 1 : Écouter", "intro": INTRO_FR}
    assert form.translations["es"]["title"] == "Sesión 1: Listening"  # no Spanish session title: the original's
    assert "en" not in form.translations
    course = EvaluationForm.objects.get(cohort__workshop=workshop, kind="course")
    assert course.title == "Course evaluation" and course.translations["fr"]["title"] == "Évaluation du cours"


def test_a_french_workshops_form_is_stored_in_french_with_an_english_translation(workshop):
    workshop.language = "fr"
    workshop.save(update_fields=["language"])
    form = session_form(workshop)
    assert form.title == "Séance 1 : Écouter" and form.intro == INTRO_FR
    assert form.translations["en"] == {"title": "Session 1: Listening", "intro": INTRO}
    assert "fr" not in form.translations


@pytest.mark.parametrize(
    ("language", "title", "intro", "other"),
    [("fr", "Séance 1 : Écouter", INTRO_FR, "Session 1: Listening"), ("en", "Session 1: Listening", INTRO, "Écouter")],
)
def test_each_participant_reads_the_form_and_the_home_todo_in_their_language(
    client, workshop, time_machine, language, title, intro, other
):
    form = session_form(workshop)
    participant = reader(workshop, language)
    time_machine.move_to(form.opens_at + timedelta(hours=1), tick=False)
    client.force_login(participant.user)
    page = client.get(reverse("evaluations:form", args=[form.pk])).content.decode()
    assert title in page and intro in page and other not in page
    listing = client.get(reverse("evaluations:list")).content.decode()
    assert title in listing and other not in listing
    home = client.get(reverse("sessions:home")).content.decode()
    assert f'home-item-link" href="{form.get_absolute_url()}">{title}</a>' in home


def content(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def first_cell(response):
    return openpyxl.load_workbook(io.BytesIO(content(response))).worksheets[0]["A1"].value


def test_a_report_downloaded_in_french_has_the_french_title(client, workshop):
    form = session_form(workshop)
    facilitator = UserFactory()
    workshop.facilitators.add(facilitator)
    client.force_login(facilitator)
    response = client.get(reverse("evaluations:report_xlsx", args=[form.pk]) + "?language=fr")
    assert response.status_code == 200
    assert first_cell(response) == "Séance 1 : Écouter"
    response = client.get(reverse("evaluations:report_xlsx", args=[form.pk]) + "?language=en")
    assert first_cell(response) == "Session 1: Listening"
    pdf = client.get(reverse("evaluations:report_pdf", args=[form.pk]) + "?language=fr")
    assert pdf.status_code == 200
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(content(pdf))).pages)
    assert "Séance 1 : Écouter" in text and "Session 1: Listening" not in text


def browser_form_data(html: str, form_id: str) -> dict:
    data = {}
    for name, value in lxml.html.fromstring(html).get_element_by_id(form_id).form_values():
        data.setdefault(name, value)
    return data


def test_an_organizer_edits_the_title_and_its_translations_side_by_side(client, organizer_client, workshop):
    form = session_form(workshop)
    url = reverse("admin:evaluations_evaluationform_change", args=[form.pk])
    page = organizer_client.get(url).content.decode()
    positions = [page.find(f'name="{name}"') for name in ("title", "title__fr", "title__es")]
    assert 0 < positions[0] < positions[1] < positions[2]
    assert 'name="title__en"' not in page and 'name="intro__fr"' in page
    data = browser_form_data(page, "evaluationform_form")
    assert data["title__fr"] == "Séance 1 : Écouter"
    data.update({"title": "Listening, week one", "title__fr": "Écouter, première semaine"})
    response = organizer_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    form.refresh_from_db()
    assert form.title == "Listening, week one"
    assert form.translations["fr"] == {"title": "Écouter, première semaine", "intro": INTRO_FR}
    client.force_login(reader(workshop, "fr").user)
    assert "Écouter, première semaine" in client.get(reverse("evaluations:form", args=[form.pk])).content.decode()
    client.force_login(reader(workshop, "en").user)
    assert "Listening, week one" in client.get(reverse("evaluations:form", args=[form.pk])).content.decode()


def test_the_data_migration_translates_existing_forms_made_in_english(workshop):
    workshop.language = "fr"
    workshop.save(update_fields=["language"])
    group = workshop.cohorts.get()
    occurrence = group.occurrences.get()
    template = EvaluationTemplate.objects.get(kind="session", is_default=True)
    made = EvaluationFormFactory(
        cohort=group, kind="session", occurrence=occurrence, template=template, title="Session 1: Listening"
    )
    EvaluationForm.objects.filter(pk=made.pk).update(intro=INTRO)
    edited = EvaluationFormFactory(cohort=group, title="Our own course survey", intro="Be frank.")
    migration = importlib.import_module("evaluations.migrations.0009_fill_form_translations")
    migration.fill(apps, None)
    made.refresh_from_db()
    assert made.title == "Séance 1 : Écouter" and made.intro == INTRO_FR
    assert made.translations["en"] == {"title": "Session 1: Listening", "intro": INTRO}
    assert made.translations["es"]["title"] == "Sesión 1: Listening"
    edited.refresh_from_db()
    assert edited.title == "Our own course survey" and edited.translations == {}


def test_the_thanks_after_answering_name_the_form_in_the_participants_language(client, workshop):
    form = EvaluationFormFactory(
        cohort=workshop.cohorts.get(),
        title="Course evaluation",
        translations={"fr": {"title": "Évaluation du cours"}},
        questions=[{"key": "improve", "text": "What should we improve?", "kind": "text", "required": False}],
    )
    client.force_login(reader(workshop, "fr").user)
    response = client.post(reverse("evaluations:form", args=[form.pk]), {"improve": "Rien."}, follow=True)
    notes = " ".join(str(message) for message in response.context["messages"])
    assert "Évaluation du cours" in notes and "Course evaluation" not in notes, notes
