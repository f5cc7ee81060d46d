"""The action plan's PDF and Excel file print reference content (DTCA dimensions, SDGs, the workshop's title) in
the language of the file: ``?language=``, else the reader's. What the team typed stays as typed."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from .factories import CountryFactory, ParticipantFactory
from .factories_action_plans import action, sdg
from .factories_assessments import build_instrument, build_run


@pytest.fixture(autouse=True)
def during_the_course(time_machine):
    time_machine.move_to("2021-03-20T12:00:00Z")


@pytest.fixture
def team(programme):
    programme.translations = {"fr": {"title": "Atelier en français"}}
    programme.save(update_fields=["translations"])
    cohort = programme.cohorts.get(name="Group A")
    haiti = CountryFactory(name="Haiti", code="HT")
    team = [ParticipantFactory(cohort=cohort, country=haiti) for _ in range(2)]
    legal = build_run(programme, build_instrument()).instrument.dimensions.get(name="Legal")
    legal.translations = {"fr": {"name": "Cadre juridique"}}
    legal.save(update_fields=["translations"])
    goal = sdg(16)
    goal.translations = {"fr": {"short_name": "Paix, justice et institutions efficaces"}}
    goal.save(update_fields=["translations"])
    planned = action(team[0], legal, title="Pass the Electronic Transactions Bill")
    planned.sdgs.set([goal])
    return team


def url(name, participant):
    return reverse(f"action_plans:{name}", args=[participant.cohort_id, participant.country.code])


def test_the_excel_file_in_french_names_dimensions_and_sdgs_in_french(client, team):
    client.force_login(team[0].user)
    response = client.get(url("plan_xlsx", team[0]), {"language": "fr"})
    workbook = load_workbook(io.BytesIO(response.content))
    rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    assert "Cadre juridique" in rows[1]
    assert "16 Paix, justice et institutions efficaces" in rows[1]
    assert "Pass the Electronic Transactions Bill" in rows[1]  # typed by the team: unchanged
    about = [value for row in workbook.worksheets[-1].iter_rows(values_only=True) for value in row]
    assert "Atelier en français" in about


def test_the_pdf_follows_the_chosen_language(client, team):
    client.force_login(team[0].user)
    french = client.get(url("plan_pdf", team[0]), {"language": "fr"})
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(french.content)).pages)
    assert "Cadre juridique" in text and "Atelier en français" in text
    english = client.get(url("plan_pdf", team[0]), {"language": "en"})
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(english.content)).pages)
    assert "Legal" in text and "Cadre juridique" not in text


def test_the_facilitators_workbooks_offer_the_language_and_follow_it(client, programme, team):
    from .factories import UserFactory

    facilitator = UserFactory(language="en")
    programme.facilitators.add(facilitator)
    client.force_login(facilitator)
    cohort = team[0].cohort
    page = client.get(reverse("action_plans:group_plans", args=[cohort.pk])).content.decode()
    assert 'name="language"' in page
    response = client.get(reverse("action_plans:group_plans_xlsx", args=[cohort.pk]), {"language": "fr"})
    rows = list(load_workbook(io.BytesIO(response.content)).worksheets[0].iter_rows(values_only=True))
    assert any("Cadre juridique" in row for row in rows)
    board = client.get(reverse("action_plans:followup_board", args=[programme.pk])).content.decode()
    assert 'name="language"' in board


def test_the_team_chooses_the_language_of_its_plan_on_the_plan_page(client, team):
    """The participant's own plan page offers the same language choice as the facilitators' downloads, and the PDF
    it asks for comes in that language, whatever language the participant reads the portal in."""
    member = team[0]
    member.user.language = "en"
    member.user.save(update_fields=["language"])
    client.force_login(member.user)
    page = client.get(url("plan", member)).content.decode()
    form = page[page.index('<form method="get" class="d-flex flex-wrap gap-2 align-items-center plan-downloads"') :]
    form = form[: form.index("</form>")]
    assert 'name="language"' in form
    assert '<option value="fr" lang="fr">' in form and '<option value="en" lang="en" selected>' in form
    assert f'formaction="{url("plan_pdf", member)}"' in form and f'formaction="{url("plan_xlsx", member)}"' in form

    response = client.get(url("plan_pdf", member), {"language": "fr"})  # what the form sends with French chosen
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "Plan d'action · Haiti" in text and "Cadre juridique" in text and "Atelier en français" in text
    assert "Legal" not in text
