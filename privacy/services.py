"""Erasing a person, applying the retention rule, and packing a person's own data for them."""

from __future__ import annotations

import json
import logging
import secrets
import zipfile
from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.admin.models import LogEntry
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from zipstream import ZipStream

from participants import services as people_services
from participants.models import ERASED_EMAIL_DOMAIN, Participant, User, new_calendar_token

from . import selectors
from .models import Erasure

logger = logging.getLogger(__name__)
CHUNK = 64 * 1024


class ErasureRefused(Exception):
    pass


@dataclass
class ErasureResult:
    participations: int = 0
    files: list[str] = field(default_factory=list)


def check_erasable(user: User, by: User | None) -> None:
    if user.is_erased:
        raise ErasureRefused(_("This person has already been erased."))
    if user.is_staff or user.is_superuser:
        raise ErasureRefused(_("Staff accounts are not erased here: take away their staff status first."))
    if by is not None and by.pk == user.pk:
        raise ErasureRefused(_("You cannot erase your own account."))
    if user.facilitated_workshops.exists():
        raise ErasureRefused(_("This person facilitates a workshop: remove them as facilitator first."))


@transaction.atomic
def erase_person(user: User, *, by: User | None = None, reason: str = Erasure.Reason.REQUEST) -> ErasureResult:
    """Remove the account's identifying data and the person's own files; keep what is anonymous or shared.

    Kept, now under "A former participant": attendance, DTCA answers, evaluation completions and responses,
    votes, board ideas, team and country work (their files too), so group figures and team work stay as they
    were. Removed: name, e-mail address, password, institution, position, calendar address, time zone, the
    files and texts of their individual preparation work, their name on certificates and in the admin's history,
    their rows in roster imports that kept them.
    """
    from attendance.models import Certificate
    from nominations.models import LogEntry as NominationLogEntry
    from preparation.models import SubmissionVersion
    from reminders.models import Delivery

    user = User.objects.select_for_update().get(pk=user.pk)
    check_erasable(user, by)
    former = _("A former participant")
    identifiers = [text for text in (user.email, user.get_full_name().strip()) if len(text) >= 3]
    participations = list(Participant.objects.select_for_update().filter(user=user))

    placeholder = f"erased-{secrets.token_hex(8)}@{ERASED_EMAIL_DOMAIN}"
    nominations = selectors.nominations_of(user, participations)
    files_of_nominations = list(nominations.exclude(cv="").values_list("cv", flat=True))
    nominations = nominations.model._base_manager.filter(pk__in=list(nominations.values_list("pk", flat=True)))
    nominations.update(
        first_name="",
        last_name=former,
        email=placeholder,
        institution="",
        position="",
        motivation="",
        cv="",
        cv_name="",
        decision_note="",
        confirmation_token="",
    )

    own_versions = SubmissionVersion.objects.filter(submission__participant__in=participations)
    files = list(own_versions.exclude(file="").values_list("file", flat=True)) + files_of_nominations
    own_versions.update(file="", original_name="", text="", link="", file_size=None, content_type="")
    Certificate.objects.filter(participant__in=participations).update(holder_name=former)
    Delivery.objects.filter(participant__in=participations).update(last_error="")
    if identifiers:
        mentions = Q()
        for text in identifiers:
            mentions |= Q(object_repr__icontains=text)
        LogEntry.objects.filter(mentions).update(object_repr=former, change_message="")
        notes = Q()
        for text in identifiers:
            notes |= Q(note__icontains=text)
        NominationLogEntry.objects.filter(notes).update(note="")
    for participation in participations:
        participation.institution = ""
        participation.position = ""
        participation.calendar_token = new_calendar_token()
        participation.save(update_fields=["institution", "position", "calendar_token"])

    _remove_email_addresses(user)
    people_services.forget_in_roster_imports(user.email)  # the rows of imports that did not (yet) enrol anyone
    user.email = placeholder
    user.first_name = user.last_name = user.timezone = ""
    user.email_notifications = False
    user.privacy_accepted_at = None
    user.last_login = None
    user.is_active = False
    user.set_unusable_password()  # also ends every signed-in session of the account
    user.save()
    user.groups.clear()
    user.user_permissions.clear()

    Erasure.objects.create(erased_by=by, reason=reason, participations=len(participations), files_deleted=len(files))
    transaction.on_commit(lambda: _delete_files(files))
    return ErasureResult(participations=len(participations), files=files)


def _remove_email_addresses(user: User) -> None:
    from allauth.account.models import EmailAddress

    EmailAddress.objects.filter(user=user).delete()


def _delete_files(names: list[str]) -> None:
    for name in names:
        try:
            default_storage.delete(name)
        except Exception:  # a file already gone, or storage down: the database no longer points at it
            logger.exception("Could not delete an erased person's file from the storage")


@dataclass
class RetentionRun:
    candidates: list[selectors.RetentionCandidate]
    erased: int
    roster_imports: int  # imports whose kept rows were (or, on a dry run, would be) emptied


def apply_retention(months: int, *, now: datetime | None = None, dry_run: bool = False) -> RetentionRun:
    """Erase participants of workshops that ended more than ``months`` months ago (only list them on a dry run)."""
    if months < 1:
        raise ErasureRefused(_("Keep data at least one month after a workshop ends."))
    now = now or timezone.now()
    candidates = selectors.retention_candidates(months, now)
    imports = selectors.roster_imports_to_forget(months, now)
    erased = 0
    if dry_run:
        return RetentionRun(candidates=candidates, erased=0, roster_imports=imports.count())
    for candidate in candidates:
        erase_person(candidate.user, reason=Erasure.Reason.RETENTION)
        erased += 1
    # The outcome (status, counts, error) stays for the organizers; the file's rows go.
    emptied = imports.update(rows=[], problems=[])
    return RetentionRun(candidates=candidates, erased=erased, roster_imports=emptied)


README = gettext_lazy("""\
Everything the Workshop Portal holds about you, as of {moment}.

data.json   your account, your participation in each workshop and every record that points at you
            (attendance, preparation work, DTCA answers, evaluations you answered, votes, ideas, reminders
            sent to you, certificates, ...). Records are Django's own JSON: "model", "pk" and "fields";
            a number in a field is the "pk" of another record.
files/      the files you handed in, alone or for your team.

Anonymous evaluation responses are not included: the portal does not record which of them are yours.
""")


def export_zip(user: User) -> ZipStream:
    """The person's data as a streamed zip: README.txt, data.json and their files (one at a time in memory)."""
    archive = ZipStream(compress_type=zipfile.ZIP_DEFLATED)
    data = selectors.personal_data(user)
    archive.add(str(README).format(moment=timezone.now().isoformat(timespec="seconds")).encode(), "README.txt")
    archive.add(json.dumps(data, cls=DjangoJSONEncoder, indent=1, ensure_ascii=False).encode(), "data.json")
    for name_in_zip, stored in selectors.own_files(user):
        archive.add(_chunks(stored), name_in_zip)
    return archive


def _chunks(name: str):
    try:
        handle = default_storage.open(name, "rb")
    except OSError:
        yield b""
        return
    with handle:
        while chunk := handle.read(CHUNK):
            yield chunk
