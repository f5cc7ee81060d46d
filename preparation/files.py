"""What an uploaded file must be: slides or a document, judged by its name AND its content."""

from __future__ import annotations

import zipfile
import zlib
from pathlib import PurePath

import filetype
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

MAX_FILE_SIZE = 20 * 1024 * 1024
# What the parts inside an office file (a zip) may declare before the portal reads any of them. Real slides and
# documents stay far below these; a zip bomb declares gigabytes, or compresses a part a thousandfold.
MAX_ZIP_ENTRIES = 5_000
MAX_ZIP_ENTRY_SIZE = 200 * 1024 * 1024
MAX_ZIP_TOTAL_SIZE = 500 * 1024 * 1024
MAX_ZIP_RATIO = 200  # uncompressed / compressed, checked for parts larger than RATIO_FLOOR
RATIO_FLOOR = 1024 * 1024
MIMETYPE_MAX_READ = 128

ALLOWED = {
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".odp": "application/vnd.oasis.opendocument.presentation",
}
DESCRIPTION = {
    ".pptx": gettext_lazy("PowerPoint presentation"),
    ".pdf": gettext_lazy("PDF document"),
    ".docx": gettext_lazy("Word document"),
    ".odp": gettext_lazy("OpenDocument presentation"),
}
ACCEPT_ATTRIBUTE = ",".join([*ALLOWED, *ALLOWED.values()])


def allowed_list() -> str:
    return ", ".join(ALLOWED)


def check_upload(upload) -> str:
    """Raise a ValidationError that says what is wrong; return the file's content type when it is fine."""
    name = PurePath(upload.name or "").name
    suffix = PurePath(name).suffix.lower()
    if suffix not in ALLOWED:
        raise ValidationError(
            _("“%(name)s” is not a file type the portal accepts. Upload slides or a document: %(allowed)s.")
            % {"name": name, "allowed": allowed_list()}
        )
    if upload.size == 0:
        raise ValidationError(_("“%(name)s” is empty (0 bytes). Check the file and upload it again.") % {"name": name})
    if upload.size > MAX_FILE_SIZE:
        raise ValidationError(
            _("“%(name)s” is %(size)s; files may be at most %(max)s. Compress the images in it, or export it as PDF.")
            % {"name": name, "size": filesizeformat(upload.size), "max": filesizeformat(MAX_FILE_SIZE)}
        )
    if suffix != ".pdf" and not _zip_declares_sane_sizes(upload):
        raise ValidationError(
            _(
                "“%(name)s” holds parts that declare sizes no real %(kind)s has, so the portal does not open it. "
                "Save or export it again from your office program and upload that file."
            )
            % {"name": name, "kind": DESCRIPTION[suffix]}
        )
    if not _content_matches(upload, suffix):
        raise ValidationError(
            _(
                "“%(name)s” is named like a %(kind)s but its content is not one. "
                "Save or export it again from your office program and upload that file."
            )
            % {"name": name, "kind": DESCRIPTION[suffix]}
        )
    return ALLOWED[suffix]


def _zip_declares_sane_sizes(upload) -> bool:
    """True when the upload is no zip (the content check refuses it then) or its directory declares sane sizes."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            return zip_sizes_are_sane(archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return True
    finally:
        upload.seek(0)


def _content_matches(upload, suffix: str) -> bool:
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    if suffix == ".pdf":
        kind = filetype.guess(head)
        return kind is not None and kind.extension == "pdf"
    # .pptx, .docx and .odp are zip containers; the parts inside tell which kind of document it is.
    if not head.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(upload) as archive:
            entries = archive.infolist()
            if not zip_sizes_are_sane(entries):
                return False
            names = {entry.filename for entry in entries}
            if suffix == ".odp":
                return "mimetype" in names and _read_bounded(archive, "mimetype") == ALLOWED[".odp"].encode()
            folder = "ppt/" if suffix == ".pptx" else "word/"
            return "[Content_Types].xml" in names and any(n.startswith(folder) for n in names)
    except (zipfile.BadZipFile, OSError, KeyError, RuntimeError, ValueError, EOFError, zlib.error):
        return False
    finally:
        upload.seek(0)


def zip_sizes_are_sane(entries) -> bool:
    """Judge a zip by what its directory declares, before reading a byte of any part."""
    if len(entries) > MAX_ZIP_ENTRIES:
        return False
    total = 0
    for entry in entries:
        size = entry.file_size
        if size > MAX_ZIP_ENTRY_SIZE:
            return False
        if size > RATIO_FLOOR and size > MAX_ZIP_RATIO * max(entry.compress_size, 1):
            return False
        total += size
        if total > MAX_ZIP_TOTAL_SIZE:
            return False
    return True


def _read_bounded(archive: zipfile.ZipFile, name: str) -> bytes:
    """At most MIMETYPE_MAX_READ bytes of a part, whatever it declares; a longer part is not a mimetype."""
    with archive.open(name) as part:
        data = part.read(MIMETYPE_MAX_READ + 1)
    return b"" if len(data) > MIMETYPE_MAX_READ else data.strip()
