import io
import re
import zipfile

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from attendance.models import Certificate, LiveSettings
from common.models import BackgroundFile
from sessions_app.models import Organization

from .factories import UserFactory
from .factories_live import enrol, live_workshop, mark, occurrence_of

AFTER_THE_WORKSHOP = "2021-05-01T12:00:00Z"


@pytest.fixture
def facilitator(db):
    return UserFactory(email="felix@example.org")


@pytest.fixture
def workshop(facilitator):
    workshop = live_workshop(sessions=3, facilitator=facilitator)
    workshop.title = "Innovation and Digital Government in the Caribbean"
    workshop.subtitle = "Facilitated Online Capacity Development Training Workshop"
    workshop.save()
    workshop.organizers.add(Organization.objects.create(short_name="UN DESA", name="UN DESA"))
    workshop.organizers.add(Organization.objects.create(short_name="CARICAD", name="CARICAD"))
    return workshop


@pytest.fixture
def group(workshop):
    return enrol(workshop.cohorts.get(name="Group A"), countries=2)


@pytest.fixture
def occurrences(workshop):
    return [occurrence_of(workshop, number=number) for number in (1, 2, 3)]


@pytest.fixture
def full_attendance(group, occurrences):
    """group[0] and group[1] present everywhere; group[2] partly once; group[3] absent once."""
    for occurrence in occurrences:
        mark(occurrence, group[:2])
    mark(occurrences[0], group[2:])
    mark(occurrences[1], [group[2]], "partly")
    mark(occurrences[1], [group[3]], "absent")
    mark(occurrences[2], group[2:])
    return group


@pytest.fixture
def after_workshop(time_machine):
    time_machine.move_to(AFTER_THE_WORKSHOP)


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_participant_with_full_attendance_downloads_a_certificate_with_their_name(
    client, full_attendance, after_workshop
):
    me = full_attendance[0]
    me.user.first_name, me.user.last_name = "Alicia", "Browne"
    me.user.save()
    client.force_login(me.user)
    page = client.get(reverse("attendance:my_certificate")).content.decode()
    assert "You attended every session" in page
    response = client.post(reverse("attendance:my_certificate_pdf"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert 'filename="certificate-alicia-browne-' in response["Content-Disposition"]
    text = pdf_text(response.content)
    certificate = Certificate.objects.get(participant=me)
    assert "Alicia Browne" in text
    assert "Innovation and Digital Government in the Caribbean" in text
    assert "all 3 sessions" in text
    assert "from 23 March to 6 April 2021" in text  # Group A: sessions 1–3, a week apart
    assert "CARICAD and UN DESA" in text
    assert certificate.display_code in text
    assert f"/certificates/verify/?code={certificate.display_code}" in text


def test_certificate_keeps_its_code_when_downloaded_again(client, full_attendance, after_workshop):
    client.force_login(full_attendance[0].user)
    first = pdf_text(client.post(reverse("attendance:my_certificate_pdf")).content)
    second = pdf_text(client.post(reverse("attendance:my_certificate_pdf")).content)
    code = Certificate.objects.get().display_code
    assert code in first and code in second and Certificate.objects.count() == 1


@pytest.mark.parametrize("index", [2, 3], ids=["partly-once", "absent-once"])
def test_no_certificate_without_full_attendance(client, full_attendance, after_workshop, index):
    participant = full_attendance[index]
    client.force_login(participant.user)
    page = client.get(reverse("attendance:my_certificate")).content.decode()
    assert "You attended 2 of 3 sessions" in page
    response = client.post(reverse("attendance:my_certificate_pdf"), follow=True)
    assert response["Content-Type"].startswith("text/html")
    assert "given for attending every session" in response.content.decode()
    assert not Certificate.objects.exists()


def test_partly_counts_when_the_workshop_says_so(client, full_attendance, after_workshop, workshop):
    LiveSettings.objects.create(workshop=workshop, partly_counts_for_certificate=True)
    client.force_login(full_attendance[2].user)
    assert client.post(reverse("attendance:my_certificate_pdf"))["Content-Type"] == "application/pdf"
    client.force_login(full_attendance[3].user)  # absent once: still no
    assert client.post(reverse("attendance:my_certificate_pdf"))["Content-Type"].startswith("text/html")


def test_no_certificate_before_the_last_session_is_over(client, full_attendance, time_machine, occurrences):
    time_machine.move_to(occurrences[-1].ends_at - timezone.timedelta(minutes=5))
    client.force_login(full_attendance[0].user)
    assert "after the last session" in client.get(reverse("attendance:my_certificate")).content.decode()
    assert client.post(reverse("attendance:my_certificate_pdf"))["Content-Type"].startswith("text/html")
    time_machine.move_to(occurrences[-1].ends_at)
    assert client.post(reverse("attendance:my_certificate_pdf"))["Content-Type"] == "application/pdf"


def test_home_page_offers_the_certificate_once_the_participant_qualifies(client, full_attendance, after_workshop):
    client.force_login(full_attendance[0].user)
    entry = client.get(reverse("sessions:home")).content.decode()
    entry = entry[entry.index('id="certificate-entry"') :]
    assert "btn btn-success" in entry[:200] and reverse("attendance:my_certificate") in entry[:300]
    client.force_login(full_attendance[3].user)
    entry = client.get(reverse("sessions:home")).content.decode()
    entry = entry[entry.index('id="certificate-entry"') :]
    assert "btn btn-success" not in entry[:200] and "see your attendance" in entry[:400]


def test_verification_page_accepts_the_code_and_refuses_a_wrong_one(client, full_attendance, after_workshop):
    client.force_login(full_attendance[0].user)
    client.post(reverse("attendance:my_certificate_pdf"))
    certificate = Certificate.objects.get()
    anonymous = Client()
    url = reverse("attendance:verify_certificate")
    for typed in (
        certificate.display_code,
        certificate.code.lower(),
        f"  {certificate.code[:6]} {certificate.code[6:]} ",
    ):
        response = anonymous.get(url, {"code": typed})
        page = response.content.decode()
        assert response.status_code == 200
        assert "Valid certificate" in page and certificate.holder_name in page
        assert "Innovation and Digital Government in the Caribbean" in page and "23 March 2021" in page
    wrong = certificate.code[:-1] + ("A" if certificate.code[-1] != "A" else "B")
    response = anonymous.get(url, {"code": wrong})
    page = response.content.decode()
    assert response.status_code == 404
    assert "No valid certificate has this code" in page
    assert certificate.holder_name not in page and "Caribbean" not in page


def test_a_revoked_certificate_no_longer_verifies(client, full_attendance, after_workshop):
    client.force_login(full_attendance[0].user)
    client.post(reverse("attendance:my_certificate_pdf"))
    certificate = Certificate.objects.get()
    certificate.revoked_at = timezone.now()
    certificate.save()
    response = Client().get(reverse("attendance:verify_certificate"), {"code": certificate.display_code})
    assert response.status_code == 404 and certificate.holder_name not in response.content.decode()


def test_a_new_download_after_revocation_issues_a_new_code(client, full_attendance, after_workshop):
    client.force_login(full_attendance[0].user)
    client.post(reverse("attendance:my_certificate_pdf"))
    old_code = Certificate.objects.get().code
    Certificate.objects.update(revoked_at=timezone.now())
    text = pdf_text(client.post(reverse("attendance:my_certificate_pdf")).content)
    certificate = Certificate.objects.get()
    assert certificate.code != old_code and certificate.is_valid and certificate.display_code in text
    assert Client().get(reverse("attendance:verify_certificate"), {"code": old_code}).status_code == 404


def test_organizer_downloads_a_groups_certificates_as_one_zip(
    organizer, full_attendance, after_workshop, workshop, django_capture_on_commit_callbacks
):
    client = Client()
    client.force_login(organizer)
    cohort = workshop.cohorts.get(name="Group A")
    url = reverse("attendance:group_certificates_zip", args=[cohort.pk])
    with django_capture_on_commit_callbacks(execute=True):  # the worker issues and zips them (eagerly in tests)
        assert client.post(url).status_code == 302
    record = BackgroundFile.objects.get(kind="attendance.group_certificates", target=str(cohort.pk))
    assert record.status == BackgroundFile.Status.DONE
    download = reverse("common:background_download", args=[record.pk])
    assert download in client.get(url).content.decode()
    response = client.get(download)
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    names = archive.namelist()
    assert len(names) == 2
    texts = [pdf_text(archive.read(name)) for name in names]
    for participant in full_attendance[:2]:
        assert any(participant.user.get_full_name() in text for text in texts)
    assert Certificate.objects.count() == 2


def test_the_groups_zip_is_downloaded_by_organizers_only(
    organizer, facilitator, full_attendance, after_workshop, workshop, django_capture_on_commit_callbacks
):
    client = Client()
    client.force_login(organizer)
    cohort = workshop.cohorts.get(name="Group A")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("attendance:group_certificates_zip", args=[cohort.pk]))
    download = reverse("common:background_download", args=[BackgroundFile.objects.get().pk])
    client.force_login(facilitator)
    assert client.get(download).status_code == 404
    client.force_login(full_attendance[0].user)
    assert client.get(download).status_code == 404


def test_facilitator_sees_who_qualifies_but_only_organizers_download_the_zip(
    facilitator, full_attendance, after_workshop, workshop
):
    client = Client()
    client.force_login(facilitator)
    cohort = workshop.cohorts.get(name="Group A")
    page = client.get(reverse("attendance:group_certificates", args=[cohort.pk])).content.decode()
    assert "2 of 4 qualify" in page
    assert page.count("qualifies</span>") == 2 and "1 missing" in page
    assert reverse("attendance:group_certificates_zip", args=[cohort.pk]) not in page
    assert client.get(reverse("attendance:group_certificates_zip", args=[cohort.pk])).status_code == 404
    assert client.post(reverse("attendance:group_certificates_zip", args=[cohort.pk])).status_code == 404


def test_participants_cannot_see_the_groups_certificates(client, full_attendance, workshop):
    client.force_login(full_attendance[0].user)
    cohort = workshop.cohorts.get(name="Group A")
    assert client.get(reverse("attendance:group_certificates", args=[cohort.pk])).status_code == 404
    assert client.get(reverse("attendance:group_certificates_zip", args=[cohort.pk])).status_code == 404
    assert client.post(reverse("attendance:group_certificates_zip", args=[cohort.pk])).status_code == 404


def test_a_get_of_the_download_address_issues_no_certificate(client, full_attendance, after_workshop):
    """A link, an image tag or a prefetch on another site must not make the portal issue a certificate."""
    client.force_login(full_attendance[0].user)
    response = client.get(reverse("attendance:my_certificate_pdf"))
    assert response.status_code == 302 and response["Location"] == reverse("attendance:my_certificate")
    assert not Certificate.objects.exists()
    page = client.get(reverse("attendance:my_certificate")).content.decode()
    assert f'method="post" action="{reverse("attendance:my_certificate_pdf")}"' in page  # the button posts
    # Once issued (by the POST), a GET downloads the same certificate again and changes nothing.
    issued = client.post(reverse("attendance:my_certificate_pdf"))
    assert issued["Content-Type"] == "application/pdf"
    certificate = Certificate.objects.get()
    again = client.get(reverse("attendance:my_certificate_pdf"))
    assert again["Content-Type"] == "application/pdf" and certificate.display_code in pdf_text(again.content)
    assert Certificate.objects.get().code == certificate.code and Certificate.objects.count() == 1


def test_a_get_of_the_groups_zip_issues_no_certificate(organizer, full_attendance, after_workshop, workshop):
    client = Client()
    client.force_login(organizer)
    cohort = workshop.cohorts.get(name="Group A")
    response = client.get(reverse("attendance:group_certificates_zip", args=[cohort.pk]))
    assert response.status_code == 200 and not Certificate.objects.exists()  # the page only shows the last zip
    page = client.get(reverse("attendance:group_certificates", args=[cohort.pk])).content.decode()
    assert f'method="post" action="{reverse("attendance:group_certificates_zip", args=[cohort.pk])}"' in page


@pytest.mark.parametrize("countries", [2, 20])
def test_group_certificates_page_runs_constant_queries(
    facilitator, workshop, occurrences, django_assert_max_num_queries, after_workshop, countries
):
    group = enrol(workshop.cohorts.get(name="Group A"), countries=countries)
    for occurrence in occurrences:
        mark(occurrence, group)
    client = Client()
    client.force_login(facilitator)
    with django_assert_max_num_queries(11):
        page = client.get(reverse("attendance:group_certificates", args=[group[0].cohort_id])).content.decode()
    assert re.search(rf"{len(group)} of {len(group)} qualify", page)


def test_demo_participant_has_a_certificate_after_the_demo_workshop(demo, client):
    from participants.models import Participant

    participant = Participant.objects.get(user__email="participant@demo.test")
    client.force_login(participant.user)
    response = client.post(reverse("attendance:my_certificate_pdf"))
    assert response["Content-Type"] == "application/pdf"
    assert "Alicia Browne" in pdf_text(response.content)
