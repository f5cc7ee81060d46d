"""Who may open which work: owners, teammates and facilitators; private notes only their author."""

import pytest
from django.urls import reverse

from preparation import services
from preparation.models import Submission
from sessions_app.models import PreparationTask

from .factories import ParticipantFactory, UserFactory, build_programme
from .factories_preparation import TeamFactory, add_members, file_task, pptx_bytes, task_in, upload

Kind = PreparationTask.Kind
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


def hand_in_file(task, participant, name="work.pptx", **kwargs):
    return services.submit(task, participant, upload=upload(name, pptx_bytes(name)), **kwargs)


def test_participant_cannot_open_or_download_another_participants_submission(client, participant, programme):
    task = file_task(programme)
    neighbour = ParticipantFactory(cohort=participant.cohort, country=participant.country)
    version = hand_in_file(task, neighbour)
    client.force_login(participant.user)
    assert client.get(reverse("preparation:submission", args=[version.submission_id])).status_code == 404
    assert client.get(reverse("preparation:file", args=[version.pk])).status_code == 404
    # Their own page shows only their own (empty) work.
    assert "work.pptx" not in client.get(reverse("preparation:task", args=[task.pk])).content.decode()


def test_teammate_opens_and_downloads_the_team_submission_but_others_cannot(client, participant, programme):
    task = file_task(programme, number=4, performed_by=PerformedBy.DESIGNATED_TEAM)
    teammate = ParticipantFactory(cohort=participant.cohort)
    outsider = ParticipantFactory(cohort=participant.cohort, country=participant.country)
    team = add_members(TeamFactory(cohort=participant.cohort, session=task.session), participant, teammate)
    version = hand_in_file(task, participant, name="Regional lab.pptx", team=team)

    client.force_login(teammate.user)
    page = client.get(reverse("preparation:submission", args=[version.submission_id]))
    assert page.status_code == 200 and "Regional lab.pptx" in page.content.decode()
    download = client.get(reverse("preparation:file", args=[version.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == pptx_bytes("Regional lab.pptx")
    assert 'filename="Regional lab.pptx"' in download["Content-Disposition"]
    assert "Regional lab.pptx" in client.get(reverse("preparation:task", args=[task.pk])).content.decode()

    client.force_login(outsider.user)
    assert client.get(reverse("preparation:submission", args=[version.submission_id])).status_code == 404
    assert client.get(reverse("preparation:file", args=[version.pk])).status_code == 404


def test_files_are_stored_privately_under_a_random_name(participant, programme, settings):
    version = hand_in_file(file_task(programme), participant, name="Alicia Browne - Jamaica.pptx")
    assert "Alicia" not in version.file.name and "Jamaica" not in version.file.name
    assert version.file.name.startswith("submissions/") and version.file.name.endswith(".pptx")
    assert version.file.path.startswith(str(settings.PRIVATE_MEDIA_ROOT))
    assert not str(settings.PRIVATE_MEDIA_ROOT).startswith(str(settings.STATIC_ROOT))


def test_reflection_notes_are_invisible_to_facilitators_organizers_and_teammates(
    client, participant, programme, facilitator, organizer
):
    notes = task_in(programme, 5, kind=Kind.REFLECTION_NOTES, deliverable=Deliverable.TEXT)
    version = services.submit(notes, participant, text="My secret thoughts about obstacles")
    teammate = ParticipantFactory(cohort=participant.cohort, country=participant.country)
    url = reverse("preparation:submission", args=[version.submission_id])

    for viewer in (facilitator, organizer, teammate.user):
        client.force_login(viewer)
        assert client.get(url).status_code == 404
    client.force_login(facilitator)
    board = client.get(reverse("preparation:progress_board", args=[participant.cohort_id])).content.decode()
    assert "My secret thoughts" not in board and url not in board
    csv = b"".join(
        client.get(reverse("preparation:progress_board_csv", args=[participant.cohort_id])).streaming_content
    )
    assert b"secret" not in csv

    client.force_login(organizer)
    admin_page = client.get(reverse("admin:preparation_submission_change", args=[version.submission_id]))
    assert admin_page.status_code == 200
    assert "My secret thoughts" not in admin_page.content.decode()
    assert "visible to their author alone" in admin_page.content.decode()

    client.force_login(participant.user)
    own = client.get(reverse("preparation:task", args=[notes.pk])).content.decode()
    assert "My secret thoughts" in own
    assert "visible to you alone — not to your teammates, the facilitators or the organizers" in own
    assert client.get(url).status_code == 200


def test_facilitator_sees_work_of_their_workshops_only(client, participant, programme, facilitator):
    version = hand_in_file(file_task(programme), participant)
    client.force_login(facilitator)
    assert client.get(reverse("preparation:submission", args=[version.submission_id])).status_code == 200
    assert client.get(reverse("preparation:file", args=[version.pk])).status_code == 200

    other = build_programme(sessions=1)
    stranger = UserFactory()
    other.facilitators.add(stranger)
    client.force_login(stranger)
    assert client.get(reverse("preparation:submission", args=[version.submission_id])).status_code == 404
    assert client.get(reverse("preparation:file", args=[version.pk])).status_code == 404
    assert client.get(reverse("preparation:progress_board", args=[participant.cohort_id])).status_code == 404
    assert client.get(reverse("preparation:task_files_zip", args=[version.submission.task_id])).status_code == 404


def test_participants_have_no_board_or_zip(client, participant, programme):
    task = file_task(programme)
    hand_in_file(task, participant)
    client.force_login(participant.user)
    assert client.get(reverse("preparation:progress_board", args=[participant.cohort_id])).status_code == 404
    assert client.get(reverse("preparation:progress_board_csv", args=[participant.cohort_id])).status_code == 404
    assert client.get(reverse("preparation:task_files_zip", args=[task.pk])).status_code == 404


def test_signed_out_visitors_are_sent_to_sign_in(client, participant, programme):
    version = hand_in_file(file_task(programme), participant)
    for url in (
        reverse("preparation:mine"),
        reverse("preparation:submission", args=[version.submission_id]),
        reverse("preparation:file", args=[version.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert Submission.objects.count() == 1
