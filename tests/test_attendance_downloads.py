"""Facilitators and organizers download a session's or a group's attendance as CSV or Excel; nobody else can."""

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from attendance.models import Attendance

from .factories import UserFactory
from .factories_live import enrol, live_workshop, mark, occurrence_of


@pytest.fixture
def facilitator(db):
    return UserFactory(email="felix@example.org")


@pytest.fixture
def workshop(facilitator):
    return live_workshop(sessions=2, facilitator=facilitator)


@pytest.fixture
def occurrence(workshop):
    return occurrence_of(workshop)


@pytest.fixture
def group(occurrence):
    people = enrol(occurrence.cohort, countries=2)  # four people, two countries
    mark(occurrence, people[:2])
    mark(occurrence, people[2:3], Attendance.Status.PARTLY)
    mark(occurrence_of(occurrence.session.workshop, number=2), people[:1], Attendance.Status.ABSENT)
    return people


@pytest.fixture
def facilitator_client(facilitator):
    facilitator_client = Client()
    facilitator_client.force_login(facilitator)
    return facilitator_client


def read_csv(response):
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))


def test_a_facilitator_downloads_one_sessions_attendance_with_name_country_and_status(
    facilitator_client, occurrence, group
):
    response = facilitator_client.get(reverse("attendance:attendance_csv", args=[occurrence.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('-group-a-session-1.csv"')
    rows = read_csv(response)
    assert rows[0][:2] == ["Participant", "Country"] and rows[0][2].startswith("Session 1 (")
    assert len(rows[0]) == 3
    assert [row[1] for row in rows[1:]] == ["Country 00", "Country 00", "Country 01", "Country 01"]
    assert sorted(rows[1:]) == sorted(
        [
            [str(group[0].user), "Country 00", "Present"],
            [str(group[1].user), "Country 00", "Present"],
            [str(group[2].user), "Country 01", "Partly"],
            [str(group[3].user), "Country 01", "not taken"],
        ]
    )


def test_the_group_download_has_a_column_per_session_in_excel(facilitator_client, occurrence, group):
    response = facilitator_client.get(reverse("attendance:group_attendance_xlsx", args=[occurrence.cohort_id]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    assert response["Content-Disposition"].endswith('-group-a-all-sessions.xlsx"')
    rows = list(load_workbook(io.BytesIO(response.content))["Attendance"].iter_rows(values_only=True))
    assert [title.split(" (")[0] for title in rows[0][2:]] == ["Session 1", "Session 2"]
    by_name = {row[0]: row for row in rows[1:]}
    assert by_name[str(group[0].user)] == (str(group[0].user), "Country 00", "Present", "Absent")
    assert by_name[str(group[3].user)] == (str(group[3].user), "Country 01", "not taken", "not taken")


def test_organizers_download_too(organizer_client, occurrence, group):
    assert organizer_client.get(reverse("attendance:attendance_xlsx", args=[occurrence.pk])).status_code == 200
    assert (
        organizer_client.get(reverse("attendance:group_attendance_csv", args=[occurrence.cohort_id])).status_code == 200
    )


def test_participants_and_other_facilitators_get_404(client, occurrence, group):
    urls = [
        reverse("attendance:attendance_csv", args=[occurrence.pk]),
        reverse("attendance:attendance_xlsx", args=[occurrence.pk]),
        reverse("attendance:group_attendance_csv", args=[occurrence.cohort_id]),
        reverse("attendance:group_attendance_xlsx", args=[occurrence.cohort_id]),
    ]
    client.force_login(group[0].user)
    assert [client.get(url).status_code for url in urls] == [404] * 4
    other = UserFactory()
    live_workshop(facilitator=other)  # facilitates another workshop
    client.force_login(other)
    assert [client.get(url).status_code for url in urls] == [404] * 4


def test_the_csv_cannot_run_a_typed_formula(facilitator_client, occurrence, group):
    group[0].user.first_name, group[0].user.last_name = '=HYPERLINK("http://evil.example","x")', ""
    group[0].user.save()
    rows = read_csv(facilitator_client.get(reverse("attendance:group_attendance_csv", args=[occurrence.cohort_id])))
    assert any(row[0].startswith("'=HYPERLINK") for row in rows[1:])
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


def test_the_download_page_links_and_query_count_stays_flat(
    facilitator_client, occurrence, group, django_assert_max_num_queries
):
    page = facilitator_client.get(reverse("attendance:attendance", args=[occurrence.pk])).content.decode()
    assert reverse("attendance:attendance_csv", args=[occurrence.pk]) in page
    assert reverse("attendance:group_attendance_xlsx", args=[occurrence.cohort_id]) in page
    enrol(occurrence.cohort, countries=10, prefix="more")
    with django_assert_max_num_queries(8):
        response = facilitator_client.get(reverse("attendance:group_attendance_csv", args=[occurrence.cohort_id]))
        rows = read_csv(response)
    assert len(rows) == 1 + 4 + 20
