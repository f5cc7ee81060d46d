"""Uploads on S3-compatible object storage, tested against a real S3-speaking server (moto's, over HTTP)."""

import json
import os
import subprocess
import sys
import urllib.error
import urllib.request

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from preparation.models import SubmissionVersion

from .factories import ParticipantFactory
from .factories_preparation import file_task, pptx_bytes, upload

pytest_plugins = ["tests.s3_server"]


@pytest.fixture(autouse=True)
def before_the_workshop(time_machine):
    time_machine.move_to("2021-02-10T12:00:00Z", tick=True)


def storages_under(**variables) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("STORAGE_S3_")}
    env.update(variables, DEBUG="1", DJANGO_SETTINGS_MODULE="workshop_portal.settings")
    code = "import json; from django.conf import settings; print(json.dumps(settings.STORAGES['default'], default=str))"
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    return json.loads(result.stdout)


def test_settings_choose_private_object_storage_only_when_a_bucket_is_named():
    assert storages_under()["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    chosen = storages_under(STORAGE_S3_BUCKET="files", STORAGE_S3_ENDPOINT_URL="https://s3.example.org")
    assert chosen["BACKEND"] == "storages.backends.s3.S3Storage"
    options = chosen["OPTIONS"]
    assert options["bucket_name"] == "files"
    assert options["endpoint_url"] == "https://s3.example.org"
    assert options["default_acl"] is None
    assert options["querystring_auth"] is True


def test_an_upload_is_stored_privately_in_the_bucket_and_served_only_to_its_owner(
    s3_storage, client, participant, programme, tmp_path
):
    task = file_task(programme)
    client.force_login(participant.user)
    data = pptx_bytes("national plan on s3")
    response = client.post(reverse("preparation:task", args=[task.pk]), {"upload": upload("plan.pptx", data)})
    assert response.status_code == 302

    version = SubmissionVersion.objects.get(submission__task=task)
    keys = [item["Key"] for item in s3_storage.list_objects_v2(Bucket=s3_storage.bucket)["Contents"]]
    assert keys == [version.file.name]
    assert not (tmp_path / "private").exists() or not any((tmp_path / "private").rglob("*.pptx"))
    stored = s3_storage.get_object(Bucket=s3_storage.bucket, Key=version.file.name)["Body"].read()
    assert stored == data

    # Private: only the owner's grant, and the object's plain URL answers 403 without a signature.
    grants = s3_storage.get_object_acl(Bucket=s3_storage.bucket, Key=version.file.name)["Grants"]
    assert [grant["Permission"] for grant in grants] == ["FULL_CONTROL"]
    assert all(grant["Grantee"].get("URI") is None for grant in grants)
    plain_url = default_storage.url(version.file.name).split("?", 1)[0]
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(plain_url, timeout=10)
    assert refused.value.code == 403

    # The permission-checking view streams it from the bucket.
    download = client.get(reverse("preparation:file", args=[version.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == data
    assert "plan.pptx" in download["Content-Disposition"]

    # Another participant of the same group is refused.
    other = ParticipantFactory(cohort=participant.cohort, country__code="BB", country__name="Barbados")
    client.force_login(other.user)
    assert client.get(reverse("preparation:file", args=[version.pk])).status_code == 404


def test_a_file_missing_from_the_bucket_is_a_404_not_a_server_error(s3_storage, participant_client, programme):
    task = file_task(programme)
    participant_client.post(reverse("preparation:task", args=[task.pk]), {"upload": upload("a.pptx", pptx_bytes())})
    version = SubmissionVersion.objects.get(submission__task=task)
    s3_storage.delete_object(Bucket=s3_storage.bucket, Key=version.file.name)
    assert participant_client.get(reverse("preparation:file", args=[version.pk])).status_code == 404
