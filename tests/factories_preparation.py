"""Factories and sample files for preparation work and teams."""

import io
import zipfile

import factory
from django.core.files.uploadedfile import SimpleUploadedFile

from participants.models import Team, TeamMembership
from sessions_app.models import PreparationTask

from .factories import CohortFactory, TaskFactory


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    cohort = factory.SubFactory(CohortFactory)
    name = factory.Sequence(lambda n: f"Innovation Lab team {n}")


def add_members(team, *participants):
    for participant in participants:
        TeamMembership.objects.create(team=team, participant=participant)
    return team


def task_in(workshop, number=1, **fields):
    """A task of session ``number`` of the workshop; fields override kind, performed_by, deliverable…"""
    session = workshop.sessions.get(number=number)
    return TaskFactory(session=session, order=10 + session.tasks.count(), **fields)


def file_task(workshop, number=3, performed_by=PreparationTask.PerformedBy.INDIVIDUAL, **fields):
    return task_in(
        workshop,
        number,
        kind=PreparationTask.Kind.SLIDES,
        deliverable=PreparationTask.Deliverable.FILE,
        performed_by=performed_by,
        **fields,
    )


def _zip(entries: dict[str, bytes], first: str | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        if first:
            archive.writestr(zipfile.ZipInfo(first), entries.pop(first))
        for name, data in entries.items():
            archive.writestr(name, data, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def pptx_bytes(marker: str = "slides") -> bytes:
    return _zip(
        {
            "[Content_Types].xml": b'<?xml version="1.0"?><Types/>',
            "_rels/.rels": b"<Relationships/>",
            "ppt/presentation.xml": f"<presentation>{marker}</presentation>".encode(),
            "ppt/slides/slide1.xml": b"<slide/>",
        }
    )


def docx_bytes(marker: str = "document") -> bytes:
    return _zip(
        {
            "[Content_Types].xml": b'<?xml version="1.0"?><Types/>',
            "word/document.xml": f"<document>{marker}</document>".encode(),
        }
    )


def odp_bytes() -> bytes:
    return _zip(
        {"mimetype": b"application/vnd.oasis.opendocument.presentation", "content.xml": b"<office:document/>"},
        first="mimetype",
    )


def pdf_bytes(text: str = "Hello") -> bytes:
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(72, 720, text)
    page.save()
    return buffer.getvalue()


def exe_bytes() -> bytes:
    # A Windows program starts with "MZ" and carries a PE header further on.
    return b"MZ\x90\x00\x03" + b"\x00" * 59 + b"PE\x00\x00" + b"\x00" * 4000


def upload(name: str, data: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)
