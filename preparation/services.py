"""Functions that change preparation work."""

from __future__ import annotations

from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from participants.models import Participant, Team
from sessions_app.models import PreparationTask, SessionOccurrence
from sessions_app.selectors import occurrences_by_number

from . import files, selectors
from .models import Extension, Submission, SubmissionVersion

Deliverable = PreparationTask.Deliverable
PerformedBy = PreparationTask.PerformedBy


class SubmissionRefused(Exception):
    """A hand-in that cannot be accepted; the message says why, in words for the participant."""


def _owner_fields(task: PreparationTask, participant: Participant, team: Team | None) -> dict:
    if task.performed_by == PerformedBy.COUNTRY_TEAM:
        return {"country": participant.country}
    if task.performed_by == PerformedBy.DESIGNATED_TEAM:
        if team is None:
            raise SubmissionRefused(
                _(
                    "This is a task for a designated team and you are not in one for it yet. "
                    "The organizers put the teams together; ask them if you expected to be in one."
                )
            )
        is_member = team.memberships.filter(participant=participant).exists()
        if not is_member or team.cohort_id != participant.cohort_id or not selectors.team_does_task(team, task):
            raise SubmissionRefused(_("You are not a member of “%(team)s” for this task.") % {"team": team.name})
        return {"team": team}
    return {"participant": participant}


def _check_can_work_on(task: PreparationTask, participant: Participant, now=None, *, check_closed=False):
    """The one rule (selectors.work_window); raises with its reason."""
    window = selectors.work_window(task, participant, now, check_closed=check_closed)
    if window.refusal:
        raise SubmissionRefused(window.refusal)
    return window


def _moments(task: PreparationTask, participant: Participant):
    occurrences = SessionOccurrence.objects.filter(cohort_id=participant.cohort_id).select_related("session")
    by_number = occurrences_by_number(occurrences)
    due = selectors.due_at_for(task, participant, by_number)
    return due, selectors.closes_at(task, by_number, due)


def submit(
    task: PreparationTask,
    participant: Participant,
    *,
    team: Team | None = None,
    text: str = "",
    link: str = "",
    upload=None,
    now=None,
) -> SubmissionVersion:
    """Hand in a new version of the participant's (or their team's) work; earlier versions are kept.

    Raises SubmissionRefused, with the reason, and then changes nothing.
    """
    _check_can_work_on(task, participant)
    if task.kind == PreparationTask.Kind.ASSESSMENT:
        raise SubmissionRefused(
            _("This task is done by submitting your assessment in the DTCA; it is marked done here when you do.")
        )
    owner = _owner_fields(task, participant, team)
    now = now or timezone.now()
    due = _check_can_work_on(task, participant, now, check_closed=True).due_at
    content = _content(task, text=text, link=link, upload=upload)
    return _record_version(task, participant, owner, content, upload=upload, due=due, now=now)


def _record_version(task, participant, owner, content, *, upload, due, now) -> SubmissionVersion:
    stored_name = None
    try:
        with transaction.atomic():
            submission = _locked_submission(task, participant.cohort, owner)
            version = SubmissionVersion(
                submission=submission,
                number=submission.version_count + 1,
                submitted_by=participant,
                submitted_at=now,
                due_at=due,
                is_late=due is not None and now > due,
                **content,
            )
            if upload is not None:
                version.original_name = PurePath(upload.name).name[:255]
                version.file_size = upload.size
                version.content_type = content_type_of(upload)
                version.file.save(PurePath(upload.name).name, upload, save=False)
                stored_name = version.file.name
            version.save()
            submission.latest_version = version
            submission.version_count = version.number
            submission.submitted_at = now
            submission.is_late = version.is_late
            submission.save(update_fields=["latest_version", "version_count", "submitted_at", "is_late"])
    except Exception:
        if stored_name:
            # The database refused the version; do not leave an orphaned file behind.
            SubmissionVersion.file.field.storage.delete(stored_name)
        raise
    return version


def content_type_of(upload) -> str:
    return files.ALLOWED.get(PurePath(upload.name).suffix.lower(), "application/octet-stream")


def _content(task: PreparationTask, *, text: str, link: str, upload) -> dict:
    deliverable = task.deliverable
    if deliverable == Deliverable.TEXT:
        text = (text or "").strip()
        if not text:
            raise SubmissionRefused(_("The text is empty: write something before you submit. Nothing was saved."))
        return {"text": text}
    if deliverable == Deliverable.LINK:
        link = (link or "").strip()
        if not link:
            raise SubmissionRefused(_("The link is empty: paste the address of your work. Nothing was saved."))
        return {"link": link}
    if deliverable == Deliverable.FILE:
        if upload is None:
            raise SubmissionRefused(
                _("Choose a file to upload (%(allowed)s). Nothing was saved.") % {"allowed": files.allowed_list()}
            )
        try:
            files.check_upload(upload)
        except ValidationError as exc:
            raise SubmissionRefused(" ".join(exc.messages)) from exc
        return {}
    return {}


def _locked_submission(task, cohort, owner: dict) -> Submission:
    """The owner's submission row, locked so two teammates handing in at once get versions 1 and 2."""
    lookup = {"task": task, "cohort": cohort, **owner}
    submission = Submission.objects.select_for_update().filter(**lookup).first()
    if submission is not None:
        return submission
    try:
        with transaction.atomic():
            return Submission.objects.create(**lookup)
    except IntegrityError:
        return Submission.objects.select_for_update().get(**lookup)


def undo_done(task: PreparationTask, participant: Participant, *, team: Team | None = None) -> bool:
    """Take back a "mark as done" (only for tasks with nothing to hand in, where no work can be lost)."""
    _check_can_work_on(task, participant)
    if task.kind == PreparationTask.Kind.ASSESSMENT:
        raise SubmissionRefused(_("Your assessment is submitted in the DTCA; an organizer can reopen it there."))
    if task.deliverable != Deliverable.NONE:
        raise SubmissionRefused(_("Handed-in work is kept; submit a new version instead."))
    return _remove_done(task, participant, _owner_fields(task, participant, team))


def _remove_done(task, participant, owner) -> bool:
    with transaction.atomic():
        submission = (
            Submission.objects.select_for_update().filter(task=task, cohort=participant.cohort, **owner).first()
        )
        if submission is None:
            return False
        if any(version.kind != "done" for version in submission.versions.all()):
            raise SubmissionRefused(_("This task has handed-in work, which is kept."))
        submission.delete()
    return True


def assessment_tasks(workshop):
    return PreparationTask.objects.filter(session__workshop=workshop, kind=PreparationTask.Kind.ASSESSMENT)


def record_assessment_submitted(participant: Participant, *, at) -> None:
    """The DTCA app calls this when a participant submits: their assessment task counts as done (late if late).

    Unlike a hand-in it is recorded even after the task closed, because late assessments are accepted.
    """
    for task in assessment_tasks(participant.cohort.workshop).select_related("session", "due_session"):
        owner = {"participant": participant}
        due, _extension = _moments(task, participant)
        _record_version(task, participant, owner, {}, upload=None, due=due, now=at)


def withdraw_assessment_submitted(participant: Participant) -> None:
    """An organizer reopened the participant's assessment: the task is no longer done."""
    for task in assessment_tasks(participant.cohort.workshop):
        _remove_done(task, participant, {"participant": participant})


def grant_extension(
    task: PreparationTask,
    *,
    due_at,
    participant: Participant | None = None,
    team: Team | None = None,
    cohort=None,
    country=None,
    reason: str = "",
    granted_by=None,
) -> Extension:
    """Give a participant or a team a later due moment for one task (replacing an earlier extension)."""
    owner: dict[str, object]
    if participant is not None:
        cohort, owner = participant.cohort, {"participant": participant}
    elif team is not None:
        cohort, owner = team.cohort, {"team": team}
    else:
        owner = {"country": country}
    extension = Extension.objects.filter(task=task, cohort=cohort, **owner).first() or Extension(
        task=task, cohort=cohort, **owner
    )
    extension.due_at = due_at
    extension.reason = reason
    extension.granted_by = granted_by
    extension.full_clean()
    with transaction.atomic():
        extension.save()
        recompute_lateness(task, cohort, owner, due_at)
    return extension


def withdraw_extension(extension: Extension) -> None:
    owner = {"participant": extension.participant, "team": extension.team, "country": extension.country}
    owner = {name: value for name, value in owner.items() if value is not None}
    with transaction.atomic():
        extension.delete()
        by_number = occurrences_by_number(
            SessionOccurrence.objects.filter(cohort_id=extension.cohort_id).select_related("session")
        )
        recompute_lateness(extension.task, extension.cohort, owner, extension.task.due_at(by_number))


def recompute_lateness(task, cohort, owner: dict, due_at) -> None:
    """Work handed in before a moved due moment is no longer late (and the other way round)."""
    from django.db.models import BooleanField, ExpressionWrapper, Q

    submissions = Submission.objects.filter(task=task, cohort=cohort, **owner)
    late = Q(submitted_at__gt=due_at) if due_at is not None else Q(pk__in=[])
    SubmissionVersion.objects.filter(submission__in=submissions).update(
        due_at=due_at, is_late=ExpressionWrapper(late, output_field=BooleanField())
    )
    for submission in submissions.select_related("latest_version"):
        if submission.latest_version is not None and submission.is_late != submission.latest_version.is_late:
            submission.is_late = submission.latest_version.is_late
            submission.save(update_fields=["is_late"])
