"""The plan to take home: a PDF and an Excel file that open and contain the actions."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from action_plans import services
from action_plans.models import ServiceQuality

from .factories import CountryFactory, ParticipantFactory, UserFactory
from .factories_action_plans import action, priorities_task, priority, sdg
from .factories_assessments import build_instrument, build_run


@pytest.fixture(autouse=True)
def during_the_course(time_machine):
    time_machine.move_to("2021-03-20T12:00:00Z")


@pytest.fixture
def team(programme):
    cohort = programme.cohorts.get(name="Group A")
    jamaica = CountryFactory(name="Jamaica", code="JM")
    return [ParticipantFactory(cohort=cohort, country=jamaica) for _ in range(2)]


@pytest.fixture
def actions(programme, team):
    dimensions = {d.name: d for d in build_run(programme, build_instrument()).instrument.dimensions.all()}
    served = priority(priorities_task(programme), team[0], 1, title="A secure, cohesive and just society")
    first = action(
        team[0],
        dimensions["Legal"],
        title="Pass the Electronic Transactions (Amendment) Bill",
        priority=served,
        owner="Attorney General's Chambers",
        first_step="Send drafting instructions.",
        obstacles="A long queue of bills.",
        overcoming="Ask the Minister to list it as a priority bill.",
    )
    first.sdgs.set([sdg(16)])
    first.qualities.set(ServiceQuality.objects.filter(key__in=["quality", "affordability"]))
    services.record_progress(first, team[1], status="started", note="Drafting instructions sent in May.")
    second = action(team[0], dimensions["Strategy"], title='=HYPERLINK("http://x") strategy workshop')
    return [first, second]


def url(name, participant):
    return reverse(f"action_plans:{name}", args=[participant.cohort_id, participant.country.code])


def test_the_pdf_opens_and_contains_the_actions(client, team, actions):
    client.force_login(team[1].user)
    response = client.get(url("plan_pdf", team[0]))
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="action-plan-jamaica-group-a-' in response["Content-Disposition"]
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(page.extract_text() for page in reader.pages)
    compact = " ".join(text.split())
    assert "Action plan · Jamaica · Group A" in compact
    assert "Pass the Electronic Transactions (Amendment) Bill" in compact
    assert "strategy workshop" in compact
    assert "Attorney General's Chambers" in compact
    assert "Drafting instructions sent in May." in compact
    assert "A secure, cohesive and just society" in compact
    assert reader.metadata.title == "Action plan · Jamaica · Group A"


def test_the_excel_file_opens_and_contains_the_actions(client, team, actions):
    client.force_login(team[0].user)
    response = client.get(url("plan_xlsx", team[0]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Actions", "NDP priorities", "About"]
    rows = list(workbook["Actions"].iter_rows(values_only=True))
    header, first, second = rows
    assert header[:4] == ("#", "Action", "DTCA dimension", "SDGs")
    record = dict(zip(header, first, strict=True))
    assert record["Action"] == "Pass the Electronic Transactions (Amendment) Bill"
    assert record["DTCA dimension"] == "Legal"
    assert record["SDGs"] == "16 Peace, justice and strong institutions"
    assert record["NDP priority"] == "A secure, cohesive and just society"
    assert record["Public-service quality"] == "Quality, Affordability"
    assert record["Status"] == "Started" and record["Progress note"] == "Drafting instructions sent in May."
    # A title that a spreadsheet would run as a formula stays a string cell, exactly as typed (no apostrophe).
    assert second[1] == '=HYPERLINK("http://x") strategy workshop'
    assert workbook["Actions"]["B3"].data_type == "s"
    assert workbook["NDP priorities"]["B2"].value == "A secure, cohesive and just society"


def test_facilitators_download_every_plan_and_others_get_nothing(client, programme, team, actions):
    facilitator = UserFactory()
    programme.facilitators.add(facilitator)
    client.force_login(facilitator)
    assert client.get(url("plan_pdf", team[0])).status_code == 200
    cohort = team[0].cohort
    response = client.get(reverse("action_plans:group_plans_xlsx", args=[cohort.pk]))
    workbook = load_workbook(io.BytesIO(response.content))
    titles = [row[3] for row in workbook["Actions"].iter_rows(min_row=2, values_only=True)]
    assert "Pass the Electronic Transactions (Amendment) Bill" in titles
    counts = list(workbook["Actions per dimension"].iter_rows(values_only=True))
    assert counts[1][:2] == ("Group A", "Jamaica") and counts[1][-1] == 2
    everything = client.get(reverse("action_plans:workshop_plans_xlsx", args=[programme.pk]))
    assert everything.status_code == 200

    stranger = ParticipantFactory(cohort=cohort)
    client.force_login(stranger.user)
    assert client.get(url("plan_pdf", team[0])).status_code == 404
    assert client.get(url("plan_xlsx", team[0])).status_code == 404
    assert client.get(reverse("action_plans:group_plans_xlsx", args=[cohort.pk])).status_code == 404


def test_last_changed_is_a_date_cell_in_the_reference_zone(client, programme, team, actions):
    client.force_login(team[0].user)
    sheet = load_workbook(io.BytesIO(client.get(url("plan_xlsx", team[0])).content))["Actions"]
    header = [cell.value for cell in next(sheet.iter_rows(max_row=1))]
    column = header.index(f"Last changed ({programme.reference_timezone_label})")
    cell = list(sheet.iter_rows(min_row=2, max_row=2))[0][column]
    assert cell.is_date and cell.number_format == "yyyy-mm-dd hh:mm"
    actions[0].refresh_from_db()
    assert cell.value == actions[0].updated_at.astimezone(programme.tz).replace(tzinfo=None, microsecond=0)
