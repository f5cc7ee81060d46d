"""The facilitators' progress board, its CSV and the zip of every file of a task."""

import io
import tracemalloc
import zipfile

import pytest
from django.urls import reverse

from common.models import BackgroundFile
from preparation import services
from sessions_app.models import PreparationTask

from .factories import CountryFactory, ParticipantFactory, UserFactory, build_programme
from .factories_preparation import (
    TeamFactory,
    add_members,
    file_task,
    pdf_bytes,
    pptx_bytes,
    task_in,
    upload,
)

PerformedBy = PreparationTask.PerformedBy
Deliverable = PreparationTask.Deliverable


@pytest.fixture(autouse=True)
def before_the_workshop(time_machine):
    time_machine.move_to("2021-02-10T12:00:00Z")


@pytest.fixture
def facilitator(programme):
    user = UserFactory()
    programme.facilitators.add(user)
    return user


def fill_group(workshop, size):
    """``size`` participants, two per country, with individual, country-team and designated-team work."""
    cohort = workshop.cohorts.get(name="Group A")
    countries = [CountryFactory() for _ in range(size // 2)]
    people = [ParticipantFactory(cohort=cohort, country=countries[i // 2]) for i in range(size)]
    text = task_in(workshop, 1, deliverable=Deliverable.TEXT)
    slides = file_task(workshop, 3, performed_by=PerformedBy.COUNTRY_TEAM)
    lab = file_task(workshop, 4, performed_by=PerformedBy.DESIGNATED_TEAM)
    teams = [TeamFactory(cohort=cohort, session=lab.session) for _ in range(max(1, size // 7))]
    for index, person in enumerate(people):
        add_members(teams[index % len(teams)], person)
        services.submit(text, person, text=f"Outline {index}")
        if index % 2 == 0:
            services.submit(slides, person, upload=upload(f"country{index}.pptx", pptx_bytes(str(index))))
    services.submit(lab, people[0], team=teams[0], upload=upload("lab.pptx", pptx_bytes("lab")))
    return cohort, people


@pytest.mark.parametrize("size", [4, 40])
def test_progress_board_runs_a_constant_number_of_queries(client, db, django_assert_max_num_queries, size):
    workshop = build_programme(sessions=5)
    cohort, people = fill_group(workshop, size)
    facilitator = UserFactory()
    workshop.facilitators.add(facilitator)
    client.force_login(facilitator)
    with django_assert_max_num_queries(16):
        response = client.get(reverse("preparation:progress_board", args=[cohort.pk]))
    page = response.content.decode()
    assert page.count('<th scope="row"') >= size
    assert f"{size}/{size} done" in page  # everyone handed in the Session 1 text
    with django_assert_max_num_queries(16):
        b"".join(client.get(reverse("preparation:progress_board_csv", args=[cohort.pk])).streaming_content)


def test_board_shows_each_status_and_filters_by_session_and_country(client, programme, facilitator, time_machine):
    cohort = programme.cohorts.get(name="Group A")
    jamaica, barbados = CountryFactory(name="Jamaica"), CountryFactory(name="Barbados")
    alicia = ParticipantFactory(cohort=cohort, country=jamaica, user__first_name="Alicia", user__last_name="Browne")
    devon = ParticipantFactory(cohort=cohort, country=jamaica, user__first_name="Devon", user__last_name="Clarke")
    monique = ParticipantFactory(cohort=cohort, country=barbados, user__first_name="Monique", user__last_name="Roberts")
    outline = task_in(programme, 1, deliverable=Deliverable.TEXT, title="One-minute outline")
    slides = file_task(programme, 3, performed_by=PerformedBy.COUNTRY_TEAM, title="Country slides")
    services.submit(outline, alicia, text="On time")
    services.submit(slides, devon, upload=upload("jm.pptx", pptx_bytes()))
    due = outline.due_at({o.session.number: o for o in cohort.occurrences.select_related("session")})
    services.submit(outline, monique, text="Late", now=due.replace(minute=30))
    client.force_login(facilitator)
    url = reverse("preparation:progress_board", args=[cohort.pk])

    page = client.get(url).content.decode()
    assert "Alicia Browne" in page and "Monique Roberts" in page and "Jamaica team" in page
    assert ">Handed in late</a>" in page and ">Done</a>" in page and ">To do</span>" in page

    only_session_one = client.get(url, {"session": 1}).content.decode()
    assert "One-minute outline" in only_session_one and "Country slides" not in only_session_one
    only_barbados = client.get(url, {"country": barbados.pk}).content.decode()
    assert "Monique Roberts" in only_barbados and "Alicia Browne" not in only_barbados
    assert client.get(url, {"session": "x", "country": "y"}).status_code == 200

    devon.is_active = False
    devon.save()
    assert "Devon Clarke</th>" not in client.get(url).content.decode()


def test_board_csv_lists_every_participant_and_team_with_status(client, programme, facilitator):
    cohort = programme.cohorts.get(name="Group A")
    person = ParticipantFactory(cohort=cohort, user__email="alicia@gov.jm")
    outline = task_in(programme, 1, deliverable=Deliverable.TEXT, title="One-minute outline")
    services.submit(outline, person, text="Hello")
    client.force_login(facilitator)
    response = client.get(reverse("preparation:progress_board_csv", args=[cohort.pk]))
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert "S1 One-minute outline" in lines[0]
    row = next(line for line in lines if "alicia@gov.jm" in line)
    assert "Done 2021-02-10" in row


def made_zip(client, url, params, capture):
    """Ask for the zip on its page (made by the worker: eagerly in tests, once the request's transaction commits)
    and download the file it made."""
    with capture(execute=True):
        assert client.post(url + (f"?group={params['group']}" if params else "")).status_code == 302
    task_pk = url.rstrip("/").split("/")[-2]
    target = f"{task_pk}:{params['group']}" if params else task_pk
    record = BackgroundFile.objects.get(kind="preparation.task_files", target=target)
    page = client.get(url, params or {}).content.decode()
    download = reverse("common:background_download", args=[record.pk])
    assert download in page
    response = client.get(download)
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def test_zip_contains_every_file_once(client, programme, facilitator, django_capture_on_commit_callbacks):
    cohort = programme.cohorts.get(name="Group A")
    slides = file_task(programme, 3, performed_by=PerformedBy.COUNTRY_TEAM, title="Country slides")
    jamaica, barbados = CountryFactory(name="Jamaica"), CountryFactory(name="Barbados")
    alicia, devon = (ParticipantFactory(cohort=cohort, country=jamaica) for _ in range(2))
    monique = ParticipantFactory(cohort=cohort, country=barbados)
    services.submit(slides, alicia, upload=upload("slides.pptx", pptx_bytes("draft")))
    services.submit(slides, devon, upload=upload("slides.pptx", pptx_bytes("final")))  # teammate's new version
    services.submit(slides, monique, upload=upload("slides.pdf", pdf_bytes("Barbados")))
    group_b = programme.cohorts.get(name="Group B")
    services.submit(slides, ParticipantFactory(cohort=group_b), upload=upload("b.pptx", pptx_bytes("b")))

    client.force_login(facilitator)
    url = reverse("preparation:task_files_zip", args=[slides.pk])
    archive = zipfile.ZipFile(
        io.BytesIO(made_zip(client, url, {"group": cohort.pk}, django_capture_on_commit_callbacks))
    )
    names = archive.namelist()
    assert sorted(names) == ["Group A/Barbados team - slides.pdf", "Group A/Jamaica team - slides.pptx"]
    # The teammate's final version (compared entry by entry: a zip's bytes hold the moment it was made).
    inner, expected = (
        zipfile.ZipFile(io.BytesIO(raw))
        for raw in (archive.read("Group A/Jamaica team - slides.pptx"), pptx_bytes("final"))
    )
    assert {n: inner.read(n) for n in inner.namelist()} == {n: expected.read(n) for n in expected.namelist()}
    assert archive.testzip() is None

    everything = zipfile.ZipFile(io.BytesIO(made_zip(client, url, None, django_capture_on_commit_callbacks)))
    assert len(everything.namelist()) == 3 and len(set(everything.namelist())) == 3


def test_zip_of_a_task_without_files_says_so(client, programme, facilitator):
    cohort = programme.cohorts.get(name="Group A")
    slides = file_task(programme, 3)
    client.force_login(facilitator)
    response = client.get(reverse("preparation:task_files_zip", args=[slides.pk]), {"group": cohort.pk}, follow=True)
    assert "Nobody has handed in a file" in response.content.decode()


def test_the_zip_is_made_without_holding_the_files_in_memory(
    client, programme, facilitator, django_capture_on_commit_callbacks
):
    cohort = programme.cohorts.get(name="Group A")
    slides = file_task(programme, 3)
    chunk = pdf_bytes()
    size = 4 * 1024 * 1024
    for index in range(5):
        person = ParticipantFactory(cohort=cohort)
        services.submit(slides, person, upload=upload(f"big{index}.pdf", chunk + bytes(size - len(chunk))))
    client.force_login(facilitator)
    url = reverse("preparation:task_files_zip", args=[slides.pk]) + f"?group={cohort.pk}"
    tracemalloc.start()
    try:
        with django_capture_on_commit_callbacks(execute=True):
            client.post(url)  # the worker's job runs eagerly here
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    record = BackgroundFile.objects.get(kind="preparation.task_files")
    assert record.status == BackgroundFile.Status.DONE
    assert record.file.size > 5 * size
    assert peak < 4 * 1024 * 1024  # a spool of 1 MB and a few chunks, never a whole 4 MB file nor the 20 MB zip


def test_facilitator_start_page_links_each_groups_board(client, programme, facilitator):
    client.force_login(facilitator)
    page = client.get(reverse("sessions:facilitate")).content.decode()
    for cohort in programme.cohorts.all():
        assert reverse("preparation:progress_board", args=[cohort.pk]) in page
