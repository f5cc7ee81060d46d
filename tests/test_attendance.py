import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from attendance.attendee_report import ReportError, parse_minutes, parse_report
from attendance.models import Attendance, LiveSettings

from .factories import UserFactory
from .factories_live import enrol, live_workshop, mark, occurrence_of


@pytest.fixture
def facilitator(db):
    return UserFactory(email="felix@example.org")


@pytest.fixture
def occurrence(facilitator):
    return occurrence_of(live_workshop(facilitator=facilitator))


@pytest.fixture
def group(occurrence):
    return enrol(occurrence.cohort, countries=3)  # six people


@pytest.fixture
def facilitator_client(facilitator):
    # A client of its own, so a test can act as a participant with `client` at the same time.
    facilitator_client = Client()
    facilitator_client.force_login(facilitator)
    return facilitator_client


def attendance_url(occurrence):
    return reverse("attendance:attendance", args=[occurrence.pk])


def statuses(occurrence):
    return dict(Attendance.objects.filter(occurrence=occurrence).values_list("participant_id", "status"))


def upload(text: str, *, encoding="utf-8", name="report.csv"):
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")


# ---------------------------------------------------------------- taken by hand


def test_facilitator_takes_the_whole_groups_attendance_in_one_form(facilitator_client, occurrence, group):
    page = facilitator_client.get(attendance_url(occurrence)).content.decode()
    for participant in group:
        assert f'name="p{participant.pk}"' in page
    marks = {f"p{p.pk}": "present" for p in group[:4]} | {f"p{group[4].pk}": "partly", f"p{group[5].pk}": "absent"}
    response = facilitator_client.post(attendance_url(occurrence), marks, follow=True)
    assert "Attendance saved (6 changes)" in response.content.decode()
    saved = statuses(occurrence)
    assert [saved[p.pk] for p in group] == ["present"] * 4 + ["partly", "absent"]
    record = Attendance.objects.get(participant=group[0])
    assert record.source == "facilitator" and record.recorded_by.email == "felix@example.org"


def test_changing_and_clearing_marks_touches_only_those_rows(facilitator_client, occurrence, group):
    mark(occurrence, group)
    untouched = Attendance.objects.get(participant=group[0]).updated_at
    marks = {f"p{p.pk}": "present" for p in group} | {f"p{group[1].pk}": "absent", f"p{group[2].pk}": ""}
    response = facilitator_client.post(attendance_url(occurrence), marks, follow=True)
    assert "Attendance saved (2 changes)" in response.content.decode()
    saved = statuses(occurrence)
    assert saved[group[1].pk] == "absent" and group[2].pk not in saved
    assert Attendance.objects.get(participant=group[0]).updated_at == untouched


def test_a_mark_that_is_not_a_status_saves_nothing(facilitator_client, occurrence, group):
    response = facilitator_client.post(attendance_url(occurrence), {f"p{group[0].pk}": "sleeping"})
    assert response.status_code == 400
    assert "nothing was saved" in response.content.decode()
    assert not Attendance.objects.exists()


@pytest.mark.parametrize("countries", [2, 20])
def test_attendance_page_runs_constant_queries(
    facilitator_client, occurrence, django_assert_max_num_queries, countries
):
    group = enrol(occurrence.cohort, countries=countries)
    mark(occurrence, group[: len(group) // 2])
    with django_assert_max_num_queries(12):
        assert facilitator_client.get(attendance_url(occurrence)).status_code == 200
    marks = {f"p{p.pk}": "present" if i % 3 else "absent" for i, p in enumerate(group)}
    with django_assert_max_num_queries(12):
        assert facilitator_client.post(attendance_url(occurrence), marks).status_code == 302
    assert len(statuses(occurrence)) == len(group)


def test_only_facilitators_of_the_workshop_take_attendance(client, occurrence, group):
    client.force_login(group[0].user)
    assert client.get(attendance_url(occurrence)).status_code == 404
    assert client.post(attendance_url(occurrence), {f"p{group[0].pk}": "present"}).status_code == 404
    response = client.post(
        reverse("attendance:attendance_import", args=[occurrence.pk]), {"report": upload("Email,Duration\n")}
    )
    assert response.status_code == 404
    assert not Attendance.objects.exists()


# ---------------------------------------------------------------- imported from the meeting platform


def test_import_matches_by_email_and_reports_unknown_rows(facilitator_client, occurrence, group):
    a, b, c, *_ = group
    report = (
        "Name,Email,Duration (minutes)\n"
        f"{a.user.first_name},{a.user.email.upper()},130\n"  # any case
        f"{b.user.first_name},{b.user.email},40\n"  # under 75% of 135 minutes: partly
        f"{c.user.first_name},{c.user.email},60\n"
        f"{c.user.first_name},{c.user.email},50\n"  # rejoined: 110 minutes in all
        "Host,host@un.org,135\n"
        "Guest,guest@example.com,12\n"
    )
    response = facilitator_client.post(
        reverse("attendance:attendance_import", args=[occurrence.pk]),
        {"report": upload(report), "mark_missing_absent": "on"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    saved = statuses(occurrence)
    assert saved[a.pk] == "present" and saved[b.pk] == "partly" and saved[c.pk] == "present"
    assert [saved[p.pk] for p in group[3:]] == ["absent"] * 3
    assert Attendance.objects.get(participant=c).minutes_attended == 110
    assert Attendance.objects.get(participant=a).source == "report"
    report_section = page[page.index('id="import-report"') :]
    assert "3</strong> participants matched: 2 present, 1 partly (under 102 min)" in report_section
    assert "3 not in the report, marked absent" in report_section
    assert "host@un.org" in report_section and "guest@example.com" in report_section
    assert "Not in this group (2)" in report_section


def test_import_can_leave_people_missing_from_the_report_as_they_were(facilitator_client, occurrence, group):
    mark(occurrence, [group[5]], "present")
    facilitator_client.post(
        reverse("attendance:attendance_import", args=[occurrence.pk]),
        {"report": upload(f"Email,Duration\n{group[0].user.email},120\n")},
    )
    saved = statuses(occurrence)
    assert saved == {group[0].pk: "present", group[5].pk: "present"}


def test_share_under_which_minutes_count_as_partly_is_set_per_workshop(facilitator_client, occurrence, group):
    LiveSettings.objects.create(workshop=occurrence.session.workshop, present_from_percent=50)
    facilitator_client.post(
        reverse("attendance:attendance_import", args=[occurrence.pk]),
        {"report": upload(f"Email,Duration\n{group[0].user.email},70\n{group[1].user.email},60\n")},
    )
    saved = statuses(occurrence)
    assert saved[group[0].pk] == "present" and saved[group[1].pk] == "partly"  # 50% of 135 is 67.5


@pytest.mark.parametrize(
    "content",
    [
        b"%PDF-1.7\n\x00\x01\x02binary\x00\x00",
        b"",
        b"Name;Minutes\nAlicia;120\n",
        b"just some words\nno table here\n",
    ],
    ids=["binary", "empty", "no-email-column", "not-a-table"],
)
def test_unreadable_report_saves_nothing_and_says_why(facilitator_client, occurrence, group, content):
    mark(occurrence, group, "present")
    response = facilitator_client.post(
        reverse("attendance:attendance_import", args=[occurrence.pk]),
        {"report": SimpleUploadedFile("report.csv", content), "mark_missing_absent": "on"},
    )
    assert response.status_code == 400
    assert 'class="invalid-feedback' in response.content.decode() or "is-invalid" in response.content.decode()
    assert set(statuses(occurrence).values()) == {"present"}


def test_report_of_another_group_saves_nothing(facilitator_client, occurrence, group):
    mark(occurrence, group, "present")
    response = facilitator_client.post(
        reverse("attendance:attendance_import", args=[occurrence.pk]),
        {"report": upload("Email,Duration\nsomeone@else.org,120\n"), "mark_missing_absent": "on"},
    )
    assert response.status_code == 400
    assert "No e-mail address in the report belongs to a participant of this group" in response.content.decode()
    assert set(statuses(occurrence).values()) == {"present"}


def test_webex_style_utf16_tab_report_is_read():
    text = (
        "Attendee Name\tAttendee Email\tJoin Time\tLeave Time\tAttendance Duration\n"
        "Ana\tana@gov.jm\t10:00\t12:15\t135 mins\n"
    )
    report = parse_report(text.encode("utf-16"))
    assert [(row.email, row.minutes) for row in report.rows] == [("ana@gov.jm", 135)]


def test_teams_style_report_with_a_summary_block_is_read():
    text = (
        "1. Summary\nMeeting title,Session 1\nAttended participants,2\n\n"
        "2. Participants\nName,First Join,Last Leave,In-Meeting Duration,Email,Role\n"
        "Ana,10:00,12:10,2h 10m 5s,ana@gov.jm,Attendee\n"
        "Ben,10:30,11:00,30m,not-an-email,Attendee\n"
    )
    report = parse_report(text.encode("utf-8-sig"))
    assert [(row.email, row.minutes) for row in report.rows] == [("ana@gov.jm", 130)]
    assert report.problems == ["Line 8: “not-an-email” is not an e-mail address."]


def test_zoom_report_uses_the_minutes_column_not_the_attended_column():
    text = "Attended,User Name,User Email,Total Duration (Minutes),Guest\nYes,Ana,ana@gov.jm,95,No\n"
    assert parse_report(text.encode()).rows[0].minutes == 95


@pytest.mark.parametrize(
    ("value", "minutes"),
    [
        ("95", 95),
        ("95.6", 96),
        ("1:35:00", 95),
        ("35:30", 36),
        ("1h 35m", 95),
        ("95 mins", 95),
        ("", None),
        ("n/a", None),
    ],
)
def test_minutes_are_read_from_the_usual_formats(value, minutes):
    assert parse_minutes(value) == minutes


def test_report_with_only_a_header_is_refused():
    with pytest.raises(ReportError, match="no rows"):
        parse_report(b"Email,Duration\n")
