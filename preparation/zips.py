"""Every file handed in for a task as one zip, streamed: memory stays flat however large the zip grows."""

from __future__ import annotations

import re
import zipfile

from django.utils import translation
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
        # The names inside do not depend on who asked for the zip nor on the worker's language (as the note).
        with translation.override(None):
            owner = submission.owner_label
        storage = version.file.storage
        try:
            size = storage.size(version.file.name)
        except OSError:
            missing.append(f"{owner}: {version.original_name}")
            continue
        base = f"{_safe(submission.cohort.name)}/{_safe(owner)} - {_safe(version.original_name)}"
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


# --------------------------------------------------------------------------- made in the worker (common/background.py)


def _task_and_group(target: str):
    from sessions_app.models import Cohort, PreparationTask

    task_pk, _, cohort_pk = target.partition(":")
    task = PreparationTask.objects.select_related("session__workshop").filter(pk=int(task_pk)).first()
    cohort = Cohort.objects.filter(pk=int(cohort_pk)).first() if cohort_pk else None
    return task, cohort


def task_files_target(task, cohort) -> str:
    return f"{task.pk}:{cohort.pk}" if cohort is not None else str(task.pk)


def task_files_name(task, cohort) -> str:
    from django.utils.text import slugify

    group = f"-{slugify(cohort.name)}" if cohort else ""
    return f"session-{task.session.number}-{slugify(task.title)[:60]}{group}.zip"


def build_task_files(target: str, progress):
    """The worker's part: the zip of every file handed in for the task (in one group), spooled to disk."""
    import tempfile

    from django.utils.translation import gettext as _

    from common.background import NothingToMake

    from .selectors import latest_files

    task, cohort = _task_and_group(target)
    if task is None:
        raise NothingToMake(_("This task no longer exists."))
    versions = latest_files(task, cohort)
    if not versions:
        raise NothingToMake(_("Nobody has handed in a file for this task yet."))
    archive = task_zip(versions)
    total = max(len(archive), 1)
    spool = tempfile.SpooledTemporaryFile(max_size=1024 * 1024)  # noqa: SIM115 - closed by the job
    written, reported = 0, 0
    for chunk in archive:
        spool.write(chunk)
        written += len(chunk)
        if written * 100 // total >= reported + 10:
            reported = written * 100 // total
            progress(reported)
    spool.seek(0)
    return task_files_name(task, cohort), spool


def may_download_task_files(request, target: str) -> bool:
    """Facilitators of the task's workshop; for one group, a group they run (checked on every download)."""
    from participants.access import facilitated_cohort_or_404

    from .access import can_download_task_files

    task, cohort = _task_and_group(target)
    if task is None or not can_download_task_files(request.user, task):
        return False
    if ":" in target:
        if cohort is None or cohort.workshop_id != task.session.workshop_id:
            return False
        facilitated_cohort_or_404(request, cohort.pk)  # Http404 when not theirs
    return True


def describe_task_files(target: str) -> dict:
    from django.urls import reverse
    from django.utils.translation import gettext as _

    task, cohort = _task_and_group(target)
    if cohort is not None:
        title = _("All files handed in for “%(task)s” · %(group)s") % {"task": task.title, "group": cohort.name}
        back = reverse("preparation:progress_board", args=[cohort.pk])
    else:
        title = _("All files handed in for “%(task)s”") % {"task": task.title}
        back = reverse("sessions:facilitate")
    return {"title": title, "back": back, "workshop": task.session.workshop}


def task_files_job():
    from common.background import BackgroundJob

    return BackgroundJob(
        key="preparation.task_files",
        build=build_task_files,
        allowed=may_download_task_files,
        describe=describe_task_files,
    )
