"""Organizers import a roster (CSV or XLSX) in the admin: preview with every problem, then all or nothing."""

import io

import pytest
from django.urls import reverse
from openpyxl import Workbook

from common.access import PARTICIPANT
from participants.models import Participant, RosterImport
from participants.roster import check_roster, rows_from_dicts

from .factories import CountryFactory, ParticipantFactory, UserFactory

IMPORT_URL = "admin:participants_participant_import"
HEADER = "E-mail,First name,Last name,Country,Group,Institution,Position\n"


@pytest.fixture
def countries(db):
    return {
        code: CountryFactory(code=code, name=name)
        for code, name in [("JM", "Jamaica"), ("TT", "Trinidad and Tobago"), ("BB", "Barbados")]
    }


@pytest.fixture
def eager_invitations(settings):
    from workshop_portal.celery import app

    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


def csv_upload(text: str, name="roster.csv"):
    upload = io.BytesIO(text.encode("utf-8"))
    upload.name = name
    return upload


def preview(client, workshop, upload):
    return client.post(reverse(IMPORT_URL), {"workshop": workshop.pk, "file": upload})


CLEAN = HEADER + (
    "alicia.browne@gov.jm,Alicia,Browne,JM,Group A,E-Government Unit,Director\n"
    "devon.clarke@gov.jm,Devon,Clarke,Jamaica,Group A,Public Administration,Planning Officer\n"
    "janelle.lewis@gov.tt,Janelle,Lewis,tt,group b,Ministry of Digital Transformation,Analyst\n"
)


def test_clean_roster_file_imports_everyone_after_the_preview_and_invites_each_person(
    organizer_client, programme, countries, mailoutbox, django_capture_on_commit_callbacks, eager_invitations
):
    page = preview(organizer_client, programme, csv_upload(CLEAN))
    assert page.status_code == 200
    body = page.content.decode()
    assert "is ready: 3 participants" in body and "Group A: 2" in body and "Group B: 1" in body
    assert Participant.objects.count() == 0  # the preview saves nothing

    with django_capture_on_commit_callbacks(execute=True):
        response = organizer_client.post(reverse(IMPORT_URL), {"confirm": "1", "send_invitations": "1"})
    # Imported in the worker (eager here); the organizer follows it on the import's status page.
    job = RosterImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:participants_participant_import_status", args=[job.pk])
    outcome = organizer_client.get(response["Location"]).content.decode()
    assert "Imported 3 participants into “" in outcome and "3 invitations are being sent." in outcome
    assert f"?cohort__workshop__id__exact={programme.pk}" in outcome
    imported = Participant.objects.select_related("user", "country", "cohort").order_by("user__email")
    assert [(p.user.email, p.country.code, p.cohort.name) for p in imported] == [
        ("alicia.browne@gov.jm", "JM", "Group A"),
        ("devon.clarke@gov.jm", "JM", "Group A"),
        ("janelle.lewis@gov.tt", "TT", "Group B"),
    ]
    assert imported[0].institution == "E-Government Unit" and imported[0].position == "Director"
    assert not imported[0].user.has_usable_password()
    assert sorted(m.to[0] for m in mailoutbox) == [p.user.email for p in imported]
    assert all(p.invitation_sent_at is not None for p in Participant.objects.all())


def test_roster_with_one_bad_row_imports_nothing_and_reports_that_row(organizer_client, programme, countries):
    text = CLEAN + "someone@gov.xx,Some,One,Atlantis,Group A,,\n"
    page = preview(organizer_client, programme, csv_upload(text)).content.decode()
    assert "Nothing was imported" in page
    assert "1 of 4 rows" in page
    assert "Unknown country “Atlantis”" in page
    assert '<tr class="roster-row-problem">\n        <td>5</td>' in page
    assert page.count("roster-row-problem") == 1
    # There is nothing to confirm: a clean preview is the only way in.
    organizer_client.post(reverse(IMPORT_URL), {"confirm": "1", "send_invitations": "1"})
    assert Participant.objects.count() == 0


def test_preview_names_every_kind_of_problem(organizer_client, programme, countries):
    group_a = programme.cohorts.get(name="Group A")
    group_a.capacity = 3
    group_a.save()
    ParticipantFactory(cohort=group_a, country=countries["BB"], user__email="already@gov.bb")
    text = HEADER + (
        "not-an-address,Bad,Mail,JM,Group A,,\n"  # line 2
        "dup@gov.jm,First,Copy,JM,Group A,,\n"  # line 3
        "DUP@gov.jm,Second,Copy,JM,Group A,,\n"  # line 4
        "lost@gov.tt,Lost,Group,TT,Group Z,,\n"  # line 5
        "already@gov.bb,Already,There,BB,Group B,,\n"  # line 6
        "third@gov.jm,Third,Person,JM,Group A,,\n"  # line 7: Jamaica's third seat; group A full
        ",No,Mail,JM,Group B,,\n"  # line 8
    )
    check_page = preview(organizer_client, programme, csv_upload(text)).content.decode()
    for message in [
        "“not-an-address” is not an e-mail address.",
        "Duplicate: DUP@gov.jm is already on line 3.",
        "Unknown group “Group Z” in this workshop (groups: Group A, Group B).",
        "Already enrolled in Group A.",
        "Jamaica would have 3 participants in Group A; each country has 2.",
        "Group A is full: this would be participant 4, its capacity is 3.",
        "No e-mail.",
    ]:
        assert message in check_page, message
    assert Participant.objects.count() == 1


def test_xlsx_roster_is_read_like_csv(organizer_client, programme, countries, django_capture_on_commit_callbacks):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Email address", "First Name", "Surname", "Country", "Group", "Ministry or agency", "Job title"])
    sheet.append(["monique@gov.bb", "Monique", "Roberts", "Barbados", "Group B", "Ministry of Finance", "CIO"])
    sheet.append([None, None, None, None, None, None, None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    buffer.name = "roster.xlsx"
    assert "is ready: 1 participant" in preview(organizer_client, programme, buffer).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        organizer_client.post(reverse(IMPORT_URL), {"confirm": "1"})
    participant = Participant.objects.select_related("user").get()
    assert (participant.user.last_name, participant.position, participant.invitation_sent_at) == (
        "Roberts",
        "CIO",
        None,
    )


def test_file_without_the_required_columns_is_refused_with_their_names(organizer_client, programme, countries):
    page = preview(organizer_client, programme, csv_upload("Name;Mail\nA;a@b.org\n")).content.decode()
    assert "missing: first name, last name, country, group" in page
    assert Participant.objects.count() == 0


def test_other_file_types_are_refused(organizer_client, programme, countries):
    page = preview(organizer_client, programme, csv_upload("whatever", name="roster.pdf")).content.decode()
    assert "Upload a .csv or .xlsx file." in page


def test_demo_roster_rows_pass_the_same_checks(demo):
    import yaml

    from participants.management.commands.load_demo import PROGRAMMES

    rows = yaml.safe_load((PROGRAMMES / "caribbean-2021-demo-roster.yaml").read_text())["participants"]
    assert check_roster(demo, rows_from_dicts(rows), allow_enrolled=True).is_clean
    # Imported a second time as new people, every row is "already enrolled".
    again = check_roster(demo, rows_from_dicts(rows))
    assert len(again.problem_rows) == 40


def _roster_of(count, workshop, start=0):
    rows = []
    for number in range(start, start + count):
        country = CountryFactory()
        group = ("Group A", "Group B")[number % 2]
        rows.append(
            {
                "email": f"Person.{number}@Gov.Example",
                "first_name": "Ana",
                "last_name": f"Number {number}",
                "country": country.code,
                "group": group,
                "institution": "Ministry of Public Service",
                "position": "Analyst",
            }
        )
    return rows


def test_importing_thirty_people_runs_as_many_queries_as_importing_four(programme, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from participants.services import import_roster

    # Someone already has an account (a facilitator of another workshop, say): the import enrols that account.
    UserFactory(email="person.0@gov.example", first_name="Old", last_name="Name")
    four = _roster_of(4, programme)
    with CaptureQueriesContext(connection) as small:
        check, enrolled = import_roster(programme, rows_from_dicts(four))
    assert check.is_clean and len(enrolled) == 4

    thirty = _roster_of(30, programme, start=4)  # the groups hold 20 each
    with django_assert_max_num_queries(len(small)):
        check, enrolled = import_roster(programme, rows_from_dicts(thirty))
    assert check.is_clean and len(enrolled) == 30

    people = Participant.objects.filter(cohort__workshop=programme).select_related("user", "cohort", "country")
    assert people.count() == 34
    first = people.get(user__email="person.0@gov.example")
    assert (first.user.first_name, first.user.last_name) == ("Ana", "Number 0")  # the roster's names win
    assert first.cohort.name == "Group A" and first.institution == "Ministry of Public Service"
    assert set(first.user.groups.values_list("name", flat=True)) == {PARTICIPANT}
    assert all(set(person.user.groups.values_list("name", flat=True)) == {PARTICIPANT} for person in people)
    assert first.user.has_usable_password()  # an existing account keeps its password
    newcomer = people.get(user__email="person.5@gov.example").user
    assert not newcomer.has_usable_password()  # they choose one through the invitation
