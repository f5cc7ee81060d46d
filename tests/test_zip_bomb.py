"""Office uploads are zips: the portal judges their parts by what they declare and never inflates a zip bomb."""

import contextlib
import io
import tracemalloc
import zipfile

import pytest
from django.core.exceptions import ValidationError

from preparation import files

from .factories_preparation import odp_bytes, pptx_bytes, upload

MB = 1024 * 1024
ODP = b"application/vnd.oasis.opendocument.presentation"


def odp_bomb(inflated_mb: int) -> bytes:
    """An .odp whose `mimetype` part is the right text followed by megabytes of spaces: tiny on disk, huge inflated."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        info = zipfile.ZipInfo("mimetype")
        info.compress_type = zipfile.ZIP_DEFLATED
        with archive.open(info, "w", force_zip64=True) as part:
            part.write(ODP)
            chunk = b" " * MB
            for _ in range(inflated_mb):
                part.write(chunk)
        archive.writestr("content.xml", b"<office:document/>", compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def forged_pptx(declared: int) -> bytes:
    """A small, valid-looking .pptx whose directory claims one part inflates to `declared` bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in {
            "[Content_Types].xml": b'<?xml version="1.0"?><Types/>',
            "ppt/presentation.xml": b"<presentation/>",
        }.items():
            archive.writestr(name, data, compress_type=zipfile.ZIP_DEFLATED)
        # The central directory is written from these records when the archive closes: forge one size.
        archive.getinfo("ppt/presentation.xml").file_size = declared
    return buffer.getvalue()


def peak_while(function) -> int:
    tracemalloc.start()
    with contextlib.suppress(ValidationError):
        function()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def test_an_odp_zip_bomb_is_refused_without_inflating_it():
    bomb = odp_bomb(inflated_mb=60)
    assert len(bomb) < MB  # well within the 20 MB upload limit
    with pytest.raises(ValidationError, match="declare sizes"):
        files.check_upload(upload("slides.odp", bomb))
    # Reading the whole mimetype part (as before) would hold 60 MB; the check stays within a few megabytes.
    assert peak_while(lambda: files.check_upload(upload("slides.odp", bomb))) < 8 * MB


def test_a_part_declaring_an_absurd_size_is_refused():
    forged = forged_pptx(declared=50 * 1024 * MB)
    with pytest.raises(ValidationError, match="declare sizes"):
        files.check_upload(upload("deck.pptx", forged))


def test_the_mimetype_is_read_in_bounded_bytes_only():
    """Even a part whose declared sizes pass is never read past what a mimetype can be."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), ODP + b" " * (900 * 1024))  # stored, ratio 1: sizes look sane
        archive.writestr("content.xml", b"<office:document/>")
    data = buffer.getvalue()
    with pytest.raises(ValidationError, match="content is not one"):
        files.check_upload(upload("slides.odp", data))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert files._read_bounded(archive, "mimetype") == b""


def test_too_many_parts_are_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        for number in range(files.MAX_ZIP_ENTRIES + 1):
            archive.writestr(f"ppt/slides/s{number}.xml", b"")
    with pytest.raises(ValidationError, match="declare sizes"):
        files.check_upload(upload("deck.pptx", buffer.getvalue()))


def test_real_office_files_still_pass():
    assert files.check_upload(upload("slides.odp", odp_bytes())) == files.ALLOWED[".odp"]
    assert files.check_upload(upload("deck.pptx", pptx_bytes())) == files.ALLOWED[".pptx"]
