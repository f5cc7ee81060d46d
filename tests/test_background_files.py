"""Long downloads are made in the worker (common/background.py): the page asks, the worker makes the file, the last
file is kept, and every download checks the person's right to this object again."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from common import background
from common.models import BackgroundFile
from preparation import services
from tests.factories import ParticipantFactory, UserFactory, build_programme
from tests.factories_preparation import file_task, pptx_bytes, upload

KIND = "preparation.task_files"


@pytest.fixture(autouse=True)
def before_the_workshop(time_machine):
    time_machine.move_to("2021-02-10T12:00:00Z")


@pytest.fixture
def facilitator(programme):
    user = UserFactory()
    programme.facilitators.add(user)
    return user


@pytest.fixture
def handed_in(programme, participant):
    task = file_task(programme)
    services.submit(task, participant, upload=upload("work.pptx", pptx_bytes("work")))
    return task


def zip_page(task, cohort=None):
    url = reverse("preparation:task_files_zip", args=[task.pk])
    return url + (f"?group={cohort.pk}" if cohort else "")


def ask(client, url, capture):
    with capture(execute=True):
        response = client.post(url)
    assert response.status_code == 302
    return response


def test_asking_queues_a_job_that_runs_after_the_commit_and_keeps_the_file(
    client, facilitator, handed_in, django_capture_on_commit_callbacks
):
    client.force_login(facilitator)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(zip_page(handed_in))
    record = BackgroundFile.objects.get(kind=KIND)
    assert record.status == BackgroundFile.Status.QUEUED and not record.file  # nothing made in the request
    assert len(callbacks) >= 1
    for callback in callbacks:
        callback()  # the commit: the (eager) worker makes it
    record.refresh_from_db()
    assert record.status == BackgroundFile.Status.DONE and record.progress == 100
    assert record.file_name.endswith(".zip") and record.file.size > 0
    assert record.requested_by == facilitator


def test_the_page_shows_progress_while_busy_and_refreshes_itself(client, facilitator, handed_in):
    client.force_login(facilitator)
    BackgroundFile.objects.create(
        kind=KIND,
        target=str(handed_in.pk),
        status=BackgroundFile.Status.RUNNING,
        progress=40,
        requested_at=timezone.now(),
    )
    page = client.get(zip_page(handed_in)).content.decode()
    assert 'aria-valuenow="40"' in page
    assert 'http-equiv="refresh"' in page
    assert "<form" not in page.split('id="background-file"')[1]  # no second request while one is being made


def test_asking_again_while_busy_keeps_one_job_unless_it_went_stale(facilitator, handed_in):
    kind = background.job_kind(KIND)
    first = background.request_file(kind, str(handed_in.pk), facilitator)
    again = background.request_file(kind, str(handed_in.pk), facilitator)
    assert again.job == first.job
    BackgroundFile.objects.filter(pk=first.pk).update(requested_at=timezone.now() - timedelta(hours=1))
    fresh = background.request_file(kind, str(handed_in.pk), facilitator)
    assert fresh.job != first.job
    assert BackgroundFile.objects.count() == 1


def test_a_job_that_is_no_longer_the_current_request_keeps_nothing(facilitator, handed_in):
    kind = background.job_kind(KIND)
    old = background.request_file(kind, str(handed_in.pk), facilitator)
    BackgroundFile.objects.filter(pk=old.pk).update(requested_at=timezone.now() - timedelta(hours=1))
    new = background.request_file(kind, str(handed_in.pk), facilitator)
    assert background.build(old.pk, str(old.job)) is False
    assert background.build(new.pk, str(new.job)) is True
    assert background.build(new.pk, str(new.job)) is False  # delivered twice: one file


def test_making_it_again_replaces_the_last_file_and_deletes_the_old_one(facilitator, handed_in):
    kind = background.job_kind(KIND)
    first = background.request_file(kind, str(handed_in.pk), facilitator)
    background.build(first.pk, str(first.job))
    first.refresh_from_db()
    old_name, storage = first.file.name, first.file.storage
    second = background.request_file(kind, str(handed_in.pk), facilitator)
    background.build(second.pk, str(second.job))
    second.refresh_from_db()
    assert second.file.name != old_name
    assert not storage.exists(old_name)
    assert storage.exists(second.file.name)


def test_nothing_to_make_fails_with_the_reason(facilitator, programme):
    task = file_task(programme)
    kind = background.job_kind(KIND)
    record = background.request_file(kind, str(task.pk), facilitator)
    assert background.build(record.pk, str(record.job)) is False
    record.refresh_from_db()
    assert record.status == BackgroundFile.Status.FAILED
    assert "Nobody has handed in a file" in record.error


def test_every_download_checks_the_right_to_this_object(
    client, facilitator, handed_in, participant, programme, django_capture_on_commit_callbacks
):
    client.force_login(facilitator)
    ask(client, zip_page(handed_in), django_capture_on_commit_callbacks)
    record = BackgroundFile.objects.get(kind=KIND)
    download = reverse("common:background_download", args=[record.pk])
    assert client.get(download).status_code == 200

    stranger = UserFactory()
    build_programme(sessions=1).facilitators.add(stranger)  # facilitates another workshop
    for person in (stranger, participant.user):
        client.force_login(person)
        assert client.get(download).status_code == 404
        assert client.get(zip_page(handed_in)).status_code == 404
        assert client.post(zip_page(handed_in)).status_code == 404

    # No longer a facilitator of the workshop: the file made while they were is not theirs any more.
    programme.facilitators.remove(facilitator)
    client.force_login(facilitator)
    assert client.get(download).status_code == 404


def test_a_group_zip_is_only_for_those_who_run_the_group(
    client, facilitator, handed_in, participant, programme, django_capture_on_commit_callbacks
):
    group = participant.cohort
    other_group = programme.cohorts.exclude(pk=group.pk).first()
    ParticipantFactory(cohort=other_group)
    client.force_login(facilitator)
    ask(client, zip_page(handed_in, group), django_capture_on_commit_callbacks)
    record = BackgroundFile.objects.get(kind=KIND, target=f"{handed_in.pk}:{group.pk}")
    assert client.get(reverse("common:background_download", args=[record.pk])).status_code == 200
    client.logout()
    response = client.get(reverse("common:background_download", args=[record.pk]))
    assert response.status_code == 302 and "login" in response["Location"]
