"""What an uploaded file must be: slides or a document, judged by its name AND its content."""

from __future__ import annotations

import zipfile
from pathlib import PurePath

import filetype
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat

MAX_FILE_SIZE = 20 * 1024 * 1024

ALLOWED = {
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".odp": "application/vnd.oasis.opendocument.presentation",
}
DESCRIPTION = {
    ".pptx": "PowerPoint presentation",
    ".pdf": "PDF document",
    ".docx": "Word document",
    ".odp": "OpenDocument presentation",
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
            f"“{name}” is not a file type the portal accepts. Upload slides or a document: {allowed_list()}."
        )
    if upload.size == 0:
        raise ValidationError(f"“{name}” is empty (0 bytes). Check the file and upload it again.")
    if upload.size > MAX_FILE_SIZE:
        raise ValidationError(
            f"“{name}” is {filesizeformat(upload.size)}; files may be at most {filesizeformat(MAX_FILE_SIZE)}. "
            "Compress the images in it, or export it as PDF."
        )
    if not _content_matches(upload, suffix):
        raise ValidationError(
            f"“{name}” is named like a {DESCRIPTION[suffix]} but its content is not one. "
            "Save or export it again from your office program and upload that file."
        )
    return ALLOWED[suffix]


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
            names = set(archive.namelist())
            if suffix == ".odp":
                return "mimetype" in names and archive.read("mimetype").strip() == ALLOWED[".odp"].encode()
            folder = "ppt/" if suffix == ".pptx" else "word/"
            return "[Content_Types].xml" in names and any(n.startswith(folder) for n in names)
    except (zipfile.BadZipFile, OSError, KeyError, RuntimeError):
        return False
    finally:
        upload.seek(0)
