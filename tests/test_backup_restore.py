"""`manage.py backup` and `restore`: the database and the stored files in one archive, back into a fresh database."""

import io
import json
import tarfile

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError

from operations.backup import EXCLUDED, stored_names
from participants.models import User
from preparation.models import SubmissionVersion

from .factories import ParticipantFactory, build_programme
from .factories_preparation import file_task, pptx_bytes, upload
from .shared_demo import load_demo_into


def everything() -> list:
    """Every row of every model the backup holds, as Django serializes it (natural keys for content types)."""
    out = io.StringIO()
    call_command("dumpdata", exclude=EXCLUDED, format="exact-json", natural_foreign=True, stdout=out, verbosity=0)
    return sorted(json.dumps(row, sort_keys=True) for row in json.loads(out.getvalue()))


def every_file() -> dict[str, bytes]:
    return {name: default_storage.open(name, "rb").read() for name in stored_names()}


def empty_the_portal(tmp_path, settings):
    """A fresh database (every table emptied, content types and permissions made anew) and a new, empty storage."""
    call_command("flush", interactive=False, verbosity=0)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "fresh-storage"},
        },
    }


def hand_in_a_file(workshop, client, time_machine):
    time_machine.move_to("2021-02-10T12:00:00Z")
    participant = ParticipantFactory(cohort=workshop.cohorts.first())
    client.force_login(participant.user)
    task = file_task(workshop)
    response = client.post(f"/preparation/tasks/{task.pk}/", {"upload": upload("plan.pptx", pptx_bytes("backed up"))})
    assert response.status_code == 302, response.content.decode()[:500]
    default_storage.save("reports/2021/summary.txt", ContentFile(b"a generated report"))


@pytest.fixture
def portal(transactional_db, settings, time_machine, client):
    """The demo programme (every kind of record) plus a participant's file handed in through the real page."""
    settings.DEBUG = True
    load_demo_into(settings.PRIVATE_MEDIA_ROOT.parent)
    settings.DEBUG = False
    from sessions_app.models import Workshop

    workshop = Workshop.objects.get(slug="caribbean-2021")
    hand_in_a_file(workshop, client, time_machine)
    return workshop


@pytest.fixture
def small_portal(transactional_db, time_machine, client):
    workshop = build_programme(sessions=3)
    hand_in_a_file(workshop, client, time_machine)
    return workshop


def test_backup_then_restore_into_a_fresh_database_gives_the_same_rows_and_files(portal, tmp_path, settings):
    rows_before, files_before = everything(), every_file()
    assert SubmissionVersion.objects.exclude(file="").count() == 1 and len(files_before) == 2
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", output=str(archive), stdout=io.StringIO())

    empty_the_portal(tmp_path, settings)
    assert not User.objects.exists() and every_file() == {}

    out = io.StringIO()
    call_command("restore", str(archive), stdout=out)
    assert "Restored" in out.getvalue()
    assert everything() == rows_before
    assert every_file() == files_before
    version = SubmissionVersion.objects.exclude(file="").get()
    assert version.file.open("rb").read() == files_before[version.file.name]


def test_the_archive_has_a_manifest_with_counts_and_checksums(small_portal, tmp_path):
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", output=str(archive), stdout=io.StringIO())
    with tarfile.open(archive) as opened:
        names = opened.getnames()
        manifest = json.load(opened.extractfile("manifest.json"))
    assert {"manifest.json", "data.json"} <= set(names)
    assert manifest["rows"]["participants.user"] == User.objects.count()
    assert {entry["name"] for entry in manifest["files"]} == set(stored_names())
    assert all(len(entry["sha256"]) == 64 for entry in manifest["files"])
    assert ["participants", "0001_initial"] in manifest["migrations"]


def test_restore_refuses_a_database_that_already_holds_accounts(small_portal, tmp_path):
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", output=str(archive), stdout=io.StringIO())
    before = everything()
    with pytest.raises(CommandError, match="already holds accounts"):
        call_command("restore", str(archive))
    assert everything() == before


def test_restore_refuses_a_damaged_file_and_an_archive_from_a_newer_portal(small_portal, tmp_path, settings):
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", output=str(archive), stdout=io.StringIO())
    with tarfile.open(archive) as opened:
        members = {member.name: opened.extractfile(member).read() for member in opened.getmembers()}
    manifest = json.loads(members["manifest.json"])

    def rewritten(name, changes):
        path = tmp_path / name
        with tarfile.open(path, "w:gz") as out:
            for member, data in {**members, **changes}.items():
                info = tarfile.TarInfo(member)
                info.size = len(data)
                out.addfile(info, io.BytesIO(data))
        return path

    newer = {**manifest, "migrations": [*manifest["migrations"], ["participants", "9999_from_the_future"]]}
    damaged_name = next(name for name in members if name.startswith("files/"))
    empty_the_portal(tmp_path, settings)
    with pytest.raises(CommandError, match="newer version"):
        call_command("restore", str(rewritten("newer.tar.gz", {"manifest.json": json.dumps(newer).encode()})))
    assert not User.objects.exists()
    with pytest.raises(CommandError, match="damaged"):
        call_command("restore", str(rewritten("damaged.tar.gz", {damaged_name: b"changed"})))
