"""Every CSV download is neutralised against formulas; XLSX keeps what was typed as text; downloads are named safely."""

import csv
import io
import re
from pathlib import Path

import pytest
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse

from common.exports import XLSX_CELL_LIMIT, attachment, csv_text, spreadsheet_safe, xlsx_text
from live.services import breakout as breakout_services

from .factories import ParticipantFactory, UserFactory, build_programme
from .factories_live import enrol, item_of, live_workshop, occurrence_of

REPO = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    "typed",
    [
        "=1+2",
        "+1+2",
        "-1+2",
        "@SUM(A1:A2)",
        "\t=1+2",
        "\r=1+2",
        " =1+2",
        "  @SUM(A1)",
        "\u00a0=HYPERLINK(1)",
        " \t+1",
        '=HYPERLINK("http://evil.example","x")',
    ],
)
def test_formula_like_text_gets_an_apostrophe(typed):
    assert spreadsheet_safe(typed) == "'" + typed


@pytest.mark.parametrize("typed", ["Alicia", "a=b", "2024-01-01", "", "O'Neil", "e-mail@example.org"])
def test_ordinary_text_is_left_alone(typed):
    assert spreadsheet_safe(typed) == typed


def test_numbers_stay_numbers_and_none_is_empty():
    assert spreadsheet_safe(-3) == -3
    assert spreadsheet_safe(2.5) == 2.5
    assert spreadsheet_safe(None) == ""


def test_csv_text_neutralises_header_and_rows():
    text = csv_text(["=head"], [["=1+2@evil.example", 4]], lineterminator="\n")
    assert list(csv.reader(io.StringIO(text))) == [["'=head"], ["'=1+2@evil.example", "4"]]


def test_xlsx_text_keeps_what_was_typed_within_excels_cell_limit():
    assert xlsx_text("=1+2") == "=1+2"
    assert xlsx_text("a\x00b\x1fc") == "abc"
    long = xlsx_text("x" * 50_000)
    assert len(long) == XLSX_CELL_LIMIT and long.endswith("[…]")


def test_attachment_name_is_rfc_6266_with_an_ascii_fallback():
    response = attachment(HttpResponse(), "plan-Curaçao-è.pdf")
    header = response["Content-Disposition"]
    assert header.startswith('attachment; filename="plan-Curacao-e.pdf"')
    assert "filename*=UTF-8''plan-Cura%C3%A7ao-%C3%A8.pdf" in header
    quoted = attachment(HttpResponse(), 'a"b\r\nc.csv')["Content-Disposition"]
    assert "\r" not in quoted and "\n" not in quoted and quoted.count('"') == 2


@pytest.mark.django_db
def test_webex_breakout_csv_does_not_carry_a_formula():
    """The attack: a participant whose address is `=1+2@evil.example` (a valid address) ends up in WebEx's CSV."""
    facilitator = UserFactory(email="felix@example.org")
    workshop = live_workshop(sessions=1, facilitator=facilitator)
    occurrence = occurrence_of(workshop)
    group = enrol(occurrence.cohort, countries=2)
    group[0].user.email = "=1+2@evil.example"
    group[0].user.save()
    draw = breakout_services.draw_breakout(occurrence, item_of(occurrence, "breakout"), by=facilitator, rooms=2)
    client = Client()
    client.force_login(facilitator)
    response = client.get(reverse("live:draw_csv", args=[draw.pk]))
    cells = [cell for row in csv.reader(io.StringIO(response.content.decode())) for cell in row]
    assert "'=1+2@evil.example" in cells
    assert "=1+2@evil.example" not in cells
    assert "filename=" in response["Content-Disposition"]


@pytest.mark.django_db
def test_progress_board_csv_neutralises_tab_and_carriage_return(client, time_machine):
    """The old progress-board copy missed tab and CR: a name starting with a tab went out raw."""
    time_machine.move_to("2021-02-10T12:00:00Z")
    programme = build_programme()
    cohort = programme.cohorts.get(name="Group A")
    person = ParticipantFactory(cohort=cohort, user__email="tab@gov.jm", user__first_name="\t=1+2")
    facilitator = UserFactory()
    programme.facilitators.add(facilitator)
    client.force_login(facilitator)
    response = client.get(reverse("preparation:progress_board_csv", args=[cohort.pk]))
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    row = next(r for r in rows if "tab@gov.jm" in r)
    assert row[0].startswith("'") and str(person.user).strip() in row[0]


def test_every_rule_exists_once():
    """No other module hand-builds Content-Disposition, an _Echo writer or its own formula prefix set."""
    offenders = []
    for path in REPO.glob("*/**/*.py"):
        if ".venv" in path.parts or "tests" in path.parts or path.parts[-2:] == ("common", "exports.py"):
            continue
        text = path.read_text(encoding="utf-8")
        if re.search(r"\[\"Content-Disposition\"\]\s*=|class _Echo|FORMULA_(PREFIXES|STARTS)\s*=", text):
            offenders.append(str(path.relative_to(REPO)))
    assert offenders == []


def test_moments_go_into_xlsx_as_naive_wall_time_with_a_date_format_and_never_with_a_zone():
    from datetime import UTC, datetime
    from zoneinfo import ZoneInfo

    from openpyxl import Workbook

    from common.exports import xlsx_cell, xlsx_moment, xlsx_rate

    sheet = Workbook(write_only=True).create_sheet("s")
    moment = datetime(2026, 3, 1, 14, 30, 5, 123456, tzinfo=UTC)
    wall = xlsx_moment(moment, ZoneInfo("America/Port_of_Spain"))
    assert wall == datetime(2026, 3, 1, 10, 30, 5)
    cell = xlsx_cell(sheet, wall)
    assert cell.is_date and cell.number_format == "yyyy-mm-dd hh:mm"
    with pytest.raises(ValueError):
        xlsx_cell(sheet, moment)  # an aware moment would be written as UTC wall time without saying so
    rate = xlsx_rate(sheet, 0.85)
    assert rate.value == 0.85 and rate.data_type == "n" and rate.number_format == "0%"
    assert csv_text(["When"], [[wall]]).splitlines()[1] == "2026-03-01 10:30"
