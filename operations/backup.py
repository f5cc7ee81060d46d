"""One archive with the whole portal: the database (Django's own JSON, natural keys) and every stored file.

The archive is a ``.tar.gz`` with ``manifest.json`` (format, time, migrations, row counts, every file's size
and SHA-256), ``data.json`` (``dumpdata`` with natural foreign keys and exact times: content types and
permissions are matched by name, so the archive loads into any freshly migrated database, PostgreSQL or SQLite)
and ``files/<name>`` for every file in the default storage (local disk or object storage). Sessions and the
cache are left out.
"""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.translation import gettext as _

from participants.viewer import replaying_stored_rows

FORMAT = 1
EXCLUDED = ["contenttypes", "auth.permission", "sessions"]
CHUNK = 1024 * 1024


class BackupError(Exception):
    pass


@dataclass
class Summary:
    path: Path
    rows: int
    files: int
    bytes: int


def stored_names(storage=default_storage, directory: str = "") -> list[str]:
    """Every file name in the storage, walked through its own listdir (works for disk and buckets alike)."""
    try:
        directories, files = storage.listdir(directory)
    except FileNotFoundError:
        return []
    names = [str(PurePosixPath(directory, name)) if directory else name for name in files]
    for sub in directories:
        names += stored_names(storage, str(PurePosixPath(directory, sub)) if directory else sub)
    return sorted(names)


def _applied_migrations() -> list[list[str]]:
    return sorted([app, name] for app, name in MigrationRecorder(connection).applied_migrations())


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(timezone.now().timestamp())
    archive.addfile(info, io.BytesIO(data))


def create_backup(path: Path, storage=default_storage) -> Summary:
    """Write the archive to ``path`` (a temporary name first, renamed only when complete)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    with tempfile.TemporaryDirectory() as scratch:
        data_file = Path(scratch) / "data.json"
        call_command(
            "dumpdata",
            exclude=EXCLUDED,
            format="exact-json",
            natural_foreign=True,
            indent=None,
            output=str(data_file),
            verbosity=0,
        )
        with data_file.open("rb") as handle:
            counts = Counter(row["model"] for row in json.load(handle))
        files, total = [], 0
        with tarfile.open(partial, "w:gz") as archive:
            archive.add(data_file, arcname="data.json")
            for name in stored_names(storage):
                digest, size = hashlib.sha256(), 0
                spooled = Path(scratch) / "file"
                with storage.open(name, "rb") as source, spooled.open("wb") as target:
                    while chunk := source.read(CHUNK):
                        digest.update(chunk)
                        size += len(chunk)
                        target.write(chunk)
                archive.add(spooled, arcname=f"files/{name}")
                files.append({"name": name, "size": size, "sha256": digest.hexdigest()})
                total += size
            manifest = {
                "format": FORMAT,
                "created_at": timezone.now().isoformat(),
                "database": connection.vendor,
                "migrations": _applied_migrations(),
                "rows": dict(sorted(counts.items())),
                "files": files,
            }
            _add_bytes(archive, "manifest.json", json.dumps(manifest, indent=1).encode())
    partial.replace(path)
    return Summary(path=path, rows=sum(counts.values()), files=len(files), bytes=total)


def _safe_member(name: str) -> str:
    pure = PurePosixPath(name)
    if pure.is_absolute() or ".." in pure.parts:
        raise BackupError(_("The archive holds an unsafe file name: %(name)s") % {"name": name})
    return str(pure)


def read_manifest(archive: tarfile.TarFile) -> dict:
    try:
        manifest = json.load(archive.extractfile("manifest.json"))
    except KeyError as exc:
        raise BackupError(_("This is not a portal backup: it has no manifest.json.")) from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(_("This backup's format (%(format)s) is not one this version reads.") % manifest)
    return manifest


def restore_backup(path: Path, storage=default_storage) -> Summary:
    """Load the archive into a freshly migrated, empty database and an empty storage.

    Refused when the database already holds accounts (restore never mixes two portals) or when the backup was
    made with migrations this code does not have (a newer version of the portal).
    """
    path = Path(path)
    call_command("migrate", interactive=False, verbosity=0)
    if get_user_model().objects.exists():
        raise BackupError(
            _("The database already holds accounts. Restore only into a new, empty database; nothing was changed.")
        )
    with tarfile.open(path, "r:gz") as archive:
        manifest = read_manifest(archive)
        known = set(MigrationLoader(connection, ignore_no_migrations=True).disk_migrations)
        unknown = [f"{app}.{name}" for app, name in manifest["migrations"] if (app, name) not in known]
        if unknown:
            raise BackupError(
                _("This backup was made by a newer version of the portal (migrations %(names)s); nothing was changed.")
                % {"names": ", ".join(unknown[:5])}
            )
        existing = [entry["name"] for entry in manifest["files"] if storage.exists(entry["name"])]
        if existing:
            raise BackupError(
                _("The file storage is not empty (%(name)s is there); nothing was changed.") % {"name": existing[0]}
            )
        with tempfile.TemporaryDirectory() as scratch:
            data_file = Path(scratch) / "data.json"
            with archive.extractfile("data.json") as source, data_file.open("wb") as target:
                while chunk := source.read(CHUNK):
                    target.write(chunk)
            # Rows the migrations made (role groups, reference data, the site) are replaced by the backup's own.
            call_command("flush", interactive=False, verbosity=0)
            for label in manifest["rows"]:
                apps.get_model(label)._base_manager.all().delete()
            with replaying_stored_rows():
                call_command("loaddata", str(data_file), verbosity=0)
        total = 0
        for entry in manifest["files"]:
            name = _safe_member(entry["name"])
            member = archive.extractfile(f"files/{name}")
            if member is None:
                raise BackupError(_("The archive lacks the file %(name)s.") % {"name": name})
            with tempfile.TemporaryFile() as spooled:
                digest = hashlib.sha256()
                while chunk := member.read(CHUNK):
                    digest.update(chunk)
                    spooled.write(chunk)
                if digest.hexdigest() != entry["sha256"]:
                    raise BackupError(_("The file %(name)s in the archive is damaged.") % {"name": name})
                spooled.seek(0)
                saved = storage.save(name, File(spooled, name=PurePosixPath(name).name))
            if saved != name:
                raise BackupError(_("The file %(name)s could not be stored under its own name.") % {"name": name})
            total += entry["size"]
    return Summary(path=path, rows=sum(manifest["rows"].values()), files=len(manifest["files"]), bytes=total)
