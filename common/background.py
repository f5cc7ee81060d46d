"""Long downloads made in the worker, not in the web request: zips of handed-in files, a group's certificates…

A web request that zips fifty presentations or draws forty PDF certificates holds a gunicorn worker for seconds
to minutes (and a proxy may cut it off). Such a download is instead a *background file*:

1. The page that offers it (``status_page``) shows the last file made, when and by whom it was asked for, and a
   button to make a fresh one; while one is being made it shows the progress and refreshes itself.
2. Asking (a POST, ``request_file``) records the request and queues :func:`common.tasks.build_background_file`
   once the transaction commits. Asking again while one is being made keeps that request (no second job),
   unless it waited longer than ``STALE_AFTER`` (its worker was lost).
3. The worker calls the kind's ``build`` and keeps the file (the last one of each kind and object; the one before
   is deleted), in the private storage like every upload.
4. The download (``common:background_download``) checks the kind's ``allowed`` for this person and this object on
   every download, not only when the file was asked for.

A kind is registered from the app's ``AppConfig.ready()``::

    background_jobs.register(BackgroundJob(key="preparation.task_files", build=..., allowed=..., ...))

The workshop report (``reports``) keeps its own model (it has formats and a names option) but follows the same
pattern.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import cast

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile, File
from django.db import IntegrityError, transaction
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from .exports import attachment
from .http import mark_private
from .models import BackgroundFile
from .registry import background_jobs

log = logging.getLogger(__name__)

STALE_AFTER = timedelta(minutes=30)
POLL_SECONDS = 2


class NothingToMake(Exception):
    """Raised by a kind's ``build`` when there is nothing to put in the file (no file handed in yet…)."""


@dataclass(frozen=True)
class BackgroundJob:
    """One kind of background file.

    ``build(target, progress)`` runs in the worker and returns ``(file name, content)``: bytes or an open file
    (read from its start); it calls ``progress(percent)`` now and then and may raise :class:`NothingToMake`.
    ``allowed(request, target)`` says whether this person may ask for and download it (it may raise Http404).
    ``describe(target)`` gives the status page ``{"title": …, "back": url, "workshop": workshop}`` (the workshop's
    reference zone shows the moments).
    """

    key: str
    build: Callable
    allowed: Callable
    describe: Callable
    content_type: str = "application/zip"

    def __call__(self):  # the registry stores callables
        return self


def register(job: BackgroundJob) -> BackgroundJob:
    background_jobs.register(job, key=job.key)
    return job


def job_kind(key: str) -> BackgroundJob:
    kind = cast("BackgroundJob | None", background_jobs.get(key))
    if kind is None:
        raise Http404("No such download.")
    return kind


def check_allowed(request, kind: BackgroundJob, target: str) -> None:
    """Per object, on every request: the kind's own rule for this person and this object."""
    try:
        allowed = kind.allowed(request, target)
    except Http404:
        allowed = False
    if not allowed:
        raise Http404("No such download.")


def current(kind: BackgroundJob, target: str) -> BackgroundFile | None:
    return BackgroundFile.objects.filter(kind=kind.key, target=target).first()


def request_file(kind: BackgroundJob, target: str, user) -> BackgroundFile:
    """Ask for a fresh file; made in the worker once this transaction commits."""
    from .tasks import build_background_file

    now = timezone.now()
    with transaction.atomic():
        record = BackgroundFile.objects.select_for_update().filter(kind=kind.key, target=target).first()
        if record is None:
            try:
                with transaction.atomic():  # two first requests at once: the database keeps one row
                    record = BackgroundFile.objects.create(kind=kind.key, target=target, requested_at=now)
            except IntegrityError:
                record = BackgroundFile.objects.select_for_update().get(kind=kind.key, target=target)
        elif record.is_busy and record.requested_at > now - STALE_AFTER:
            return record
        record.status = BackgroundFile.Status.QUEUED
        record.progress = 0
        record.error = ""
        record.job = uuid.uuid4()
        record.requested_at = now
        record.requested_by = user
        record.save()
        pk, job = record.pk, str(record.job)
        transaction.on_commit(lambda: build_background_file.delay(pk, job))
    return record


def _set(pk: int, **fields) -> None:
    BackgroundFile.objects.filter(pk=pk).update(**fields)


def build(pk: int, job: str) -> bool:
    """Make the file a request asked for. Idempotent: a job that is no longer the current request, or whose file
    is already made, does nothing (a task delivered twice makes one file)."""
    with transaction.atomic():
        record = BackgroundFile.objects.select_for_update().filter(pk=pk, job=job).first()
        if record is None or record.status not in (BackgroundFile.Status.QUEUED, BackgroundFile.Status.FAILED):
            return False
        record.status = BackgroundFile.Status.RUNNING
        record.progress = 5
        record.save(update_fields=["status", "progress"])
    kind = cast("BackgroundJob | None", background_jobs.get(record.kind))
    try:
        if kind is None:
            raise NothingToMake(_("This kind of download no longer exists."))
        name, content = kind.build(record.target, lambda percent: _set(pk, progress=max(5, min(99, int(percent)))))
    except NothingToMake as exc:
        _set(pk, status=BackgroundFile.Status.FAILED, error=str(exc)[:300], progress=0)
        return False
    except Exception as exc:
        log.exception("background file %s (%s %s) failed", pk, record.kind, record.target)
        _set(pk, status=BackgroundFile.Status.FAILED, error=str(exc)[:300], progress=0)
        raise
    stored = ContentFile(content) if isinstance(content, bytes) else File(content)
    try:
        with transaction.atomic():
            latest = BackgroundFile.objects.select_for_update().get(pk=pk)
            if str(latest.job) != job:
                return False  # asked again meanwhile: that request makes its own file
            old = latest.file.name if latest.file else ""
            latest.file.save(name, stored, save=False)
            latest.file_name = name[:200]
            latest.status = BackgroundFile.Status.DONE
            latest.progress = 100
            latest.generated_at = timezone.now()
            latest.save()
    finally:
        if hasattr(content, "close"):
            content.close()
    if old and old != latest.file.name:
        latest.file.storage.delete(old)
    return True


# --------------------------------------------------------------------------- the pages (views stay thin)


def status_page(request, kind: BackgroundJob, target: str):
    """GET: the last file and the state of the next; POST: ask for a fresh one. Call after the app's own access
    check (which may say more, e.g. a 404 for an unknown object); the kind's rule is checked here again."""
    check_allowed(request, kind, target)
    if request.method == "POST":
        request_file(kind, target, request.user)
        return redirect(request.get_full_path())
    return render(
        request,
        "common/background_file.html",
        {**kind.describe(target), "record": current(kind, target), "poll_seconds": POLL_SECONDS},
    )


def download(request, pk: int):
    record = BackgroundFile.objects.filter(pk=pk).first()
    if record is None:
        raise Http404("No such download.")
    check_allowed(request, job_kind(record.kind), record.target)
    if not record.file:
        raise Http404(_("This file has not been made yet."))
    try:
        handle = record.file.open("rb")
    except OSError:
        raise PermissionDenied(_("The file is no longer in the storage; make it again.")) from None
    response = FileResponse(handle, content_type=job_kind(record.kind).content_type)
    attachment(response, record.file_name or "download.zip")
    mark_private(response)  # Cache-Control: private, no-store
    response["X-Content-Type-Options"] = "nosniff"
    return response
