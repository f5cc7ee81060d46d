"""Every file handed in for a task as one zip, streamed: memory stays flat however large the zip grows."""

from __future__ import annotations

import re
import zipfile

from zipstream import ZipStream

CHUNK = 64 * 1024


def _safe(part: str) -> str:
    return re.sub(r'[\\/:*?"<>|\x00-\x1f]+', "-", part).strip(" .") or "file"


def _chunks(storage, name):
    # Opened only when the zip reaches this entry, so at most one file is open at a time.
    with storage.open(name, "rb") as handle:
        while chunk := handle.read(CHUNK):
            yield chunk


def task_zip(versions) -> ZipStream:
    """One entry per version given: ``<group>/<owner> - <original name>``; files are stored, not recompressed."""
    archive = ZipStream(compress_type=zipfile.ZIP_STORED, sized=True)
    used: set[str] = set()
    missing = []
    for version in versions:
        submission = version.submission
        storage = version.file.storage
        try:
            size = storage.size(version.file.name)
        except OSError:
            missing.append(f"{submission.owner_label}: {version.original_name}")
            continue
        base = f"{_safe(submission.cohort.name)}/{_safe(submission.owner_label)} - {_safe(version.original_name)}"
        name, number = base, 2
        while name.casefold() in used:
            stem, dot, suffix = base.rpartition(".")
            name = f"{stem} ({number}).{suffix}" if dot else f"{base} ({number})"
            number += 1
        used.add(name.casefold())
        archive.add(_chunks(storage, version.file.name), name, size=size)
    if missing:
        note = "These files could not be found in the portal's storage:\n" + "\n".join(missing) + "\n"
        archive.add(note.encode(), "MISSING FILES.txt")
    return archive
