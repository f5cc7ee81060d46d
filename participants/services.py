"""Functions that change people's records."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.mail import get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone as dj_timezone

from common import timefmt
from common.i18n import in_language_of, override_for
from common.mail import PortalMail

from . import roles
from .models import Participant, RosterImport, User
from .roster import RosterCheck, RosterRow, check_roster

if TYPE_CHECKING:
    from sessions_app.models import Cohort

logger = logging.getLogger(__name__)


def update_profile(
    user: User,
    *,
    first_name: str,
    last_name: str,
    timezone: str,
    email_notifications: bool = True,
    accept_privacy: bool | None = None,
    language: str | None = None,
) -> User:
    user.first_name = first_name
    user.last_name = last_name
    user.timezone = timezone
    user.email_notifications = email_notifications
    if language is not None:
        user.language = language
    if accept_privacy is not None:
        if accept_privacy and user.privacy_accepted_at is None:
            user.privacy_accepted_at = dj_timezone.now()
        elif not accept_privacy:
            user.privacy_accepted_at = None
    user.full_clean(exclude=["password"])
    user.save(
        update_fields=["first_name", "last_name", "language", "timezone", "email_notifications", "privacy_accepted_at"]
    )
    return user


_SYNCED_ROLES = (roles.ORGANIZER, roles.FACILITATOR, roles.PARTICIPANT)  # the speaker group is given by hand


def sync_roles(user: User) -> None:
    """Put the person in the role groups that match what they are: staff, facilitator, enrolled participant.

    The speaker group is given by hand and left alone.
    """
    sync_roles_of([user])


def configure_site(using: str = "default") -> None:
    """The Site every account mail names: the portal's name (SITE_NAME) and the domain of SITE_URL."""
    from urllib.parse import urlsplit

    from django.contrib.sites.models import Site

    domain = urlsplit(settings.SITE_URL).netloc or "localhost"
    Site.objects.using(using).update_or_create(
        pk=settings.SITE_ID, defaults={"domain": domain[:100], "name": settings.SITE_NAME[:50]}
    )
    Site.objects.clear_cache()


def new_calendar_addresses(participants) -> int:
    """Give each participation a new private calendar token: the old feed address answers 404 from now on."""
    from .models import new_calendar_token

    count = 0
    with transaction.atomic():
        for participant in participants:
            participant.calendar_token = new_calendar_token()
            participant.save(update_fields=["calendar_token"])
            count += 1
    return count


def load_countries(rows: list[dict]) -> int:
    """Create or update the reference list of countries; returns how many rows were read."""
    from .models import Country

    for row in rows:
        Country.objects.update_or_create(
            code=row["code"].upper(),
            defaults={
                "name": row["name"],
                "timezone": row["timezone"],
                "caricom_member": bool(row.get("caricom_member")),
                "caricom_associate": bool(row.get("caricom_associate")),
                "caricad_member": bool(row.get("caricad_member")),
            },
        )
    return len(rows)


def record_sign_in_address(user: User, *, proved: bool = False) -> None:
    """Keep allauth's address record of the sign-in address in step with ``user.email``.

    The sign-in address was set by organizers (import, admin) or proved by its owner through a link sent to it,
    so it is recorded as verified: a self-added address can then never be made primary without its own link.
    An address the person made primary *without* proof (possible before this rule) stays unverified until
    ``proved`` (they followed a link sent to it, e.g. the invitation's set-password link).
    """
    from allauth.account.models import EmailAddress

    email = (user.email or "").lower()
    if not email:
        return
    with transaction.atomic():
        records = list(EmailAddress.objects.select_for_update().filter(user=user))
        current = next((r for r in records if r.email.lower() == email), None)
        # Stale records: former sign-in addresses organizers replaced. A pending (unverified) change stays.
        stale = [r.pk for r in records if r is not current and (r.verified or r.primary)]
        if stale:
            EmailAddress.objects.filter(pk__in=stale).delete()
        taken = EmailAddress.objects.filter(email__iexact=email, verified=True).exclude(user=user).exists()
        if current is None:
            EmailAddress.objects.create(user=user, email=email, verified=not taken, primary=True)
        elif not current.primary or (proved and not current.verified and not taken):
            current.primary = True
            current.verified = current.verified or (proved and not taken)
            current.save(update_fields=["primary", "verified"])


def has_unproved_sign_in_address(user: User) -> bool:
    """The person made their sign-in address primary themselves without following a link sent to it."""
    from allauth.account.models import EmailAddress

    return EmailAddress.objects.filter(user=user, email__iexact=user.email, primary=True, verified=False).exists()


def ensure_user(email: str, *, password_hash: str | None = None, **fields) -> User:
    """Find or create the account for an e-mail address.

    ``password_hash`` (from ``make_password``) is given to new accounts only, so a
    second run neither changes passwords people chose nor spends time hashing.
    """
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User(email=email.lower())
        if password_hash:
            user.password = password_hash
        else:
            user.set_unusable_password()
    for name, value in fields.items():
        setattr(user, name, value)
    user.save()
    _drop_unproved_claims({user.email.lower(): user.pk})
    if user.is_staff:
        sync_roles(user)
    return user


def import_roster(
    workshop, rows: list[RosterRow], *, password_hash: str | None = None, allow_enrolled: bool = False
) -> tuple[RosterCheck, list[Participant]]:
    """Enroll everyone on a roster, or nobody: any problem in any row imports nothing.

    Returns the check (with every row's problems) and the participants enrolled. The caller sends invitations.
    Accounts are found or made as ``ensure_user`` does, in a number of queries that does not grow with the rows.
    """
    check = check_roster(workshop, rows, allow_enrolled=allow_enrolled)
    if not check.is_clean:
        return check, []
    with transaction.atomic():
        accounts = _accounts_for(check.rows, password_hash)
        enrolled = _enroll_rows(check.rows, accounts)
        users = list({user.pk: user for user in accounts.values()}.values())
        from .viewer import forget_viewers

        forget_viewers([user.pk for user in users])  # as each participation's save would
        sync_roles_of(users)
    return check, enrolled


def _accounts_for(rows: list[RosterRow], password_hash: str | None) -> dict[str, User]:
    """The account of each row's address (``ensure_user``): found whatever its case, made if missing, named."""
    from django.db.models.functions import Lower

    keys = {row.email.strip().lower() for row in rows}
    accounts: dict[str, User] = {
        user.email.lower(): user for user in User.objects.annotate(key=Lower("email")).filter(key__in=keys)
    }
    renamed: list[User] = []
    new: list[User] = []
    for row in rows:
        key = row.email.strip().lower()
        names = {"first_name": row.values["first_name"], "last_name": row.values["last_name"]}
        found = accounts.get(key)
        if found is None:
            made = accounts[key] = User(email=key, **names)
            if password_hash:
                made.password = password_hash
            else:
                made.set_unusable_password()
            new.append(made)
        elif any(getattr(found, name) != value for name, value in names.items()):
            for name, value in names.items():
                setattr(found, name, value)
            renamed.append(found)
    User.objects.bulk_create(new)  # names are cleaned on the way in, as by save()
    for user in renamed:  # a re-import with other names: rare, and save() cleans them
        user.save(update_fields=["first_name", "last_name"])
    _drop_unproved_claims({key: user.pk for key, user in accounts.items()})
    return accounts


def _drop_unproved_claims(owners: dict[str, int]) -> None:
    """Another account's pending, unproved claim on one of these addresses (a change its owner never confirmed)
    goes: it could otherwise be confirmed later and take the address from the account the portal just matched.
    ``owners``: each address in lower case, with the account it belongs to."""
    from allauth.account.models import EmailAddress
    from django.db.models.functions import Lower

    claims = EmailAddress.objects.annotate(key=Lower("email")).filter(key__in=owners, verified=False)
    stale = [pk for pk, key, user_id in claims.values_list("pk", "key", "user_id") if owners.get(key) != user_id]
    if stale:
        EmailAddress.objects.filter(pk__in=stale).delete()


def _enroll_rows(rows: list[RosterRow], accounts: dict[str, User]) -> list[Participant]:
    """Each row's participation in its group: made, or brought up to date and active again."""
    fields = ("country", "institution", "position", "is_active")
    triples = [(accounts[row.email.strip().lower()], row, _group_of(row)) for row in rows]
    current = {
        (participation.user_id, participation.cohort_id): participation
        for participation in Participant.objects.filter(
            user__in=[user.pk for user, _, _ in triples], cohort__in={cohort.pk for _, _, cohort in triples}
        )
    }
    enrolled, new, changed = [], [], []
    for user, row, cohort in triples:
        wanted = {
            "country": row.country,
            "institution": row.values.get("institution", ""),
            "position": row.values.get("position", ""),
            "is_active": True,
        }
        participation = current.get((user.pk, cohort.pk))
        if participation is None:
            participation = Participant(user=user, cohort=cohort, **wanted)
            new.append(participation)
        elif any(getattr(participation, name) != value for name, value in wanted.items()):
            for name, value in wanted.items():
                setattr(participation, name, value)
            changed.append(participation)
        enrolled.append(participation)
    Participant.objects.bulk_create(new)
    for participation in changed:  # save() cleans the texts
        participation.save(update_fields=list(fields))
    return enrolled


def _group_of(row: RosterRow) -> Cohort:
    if row.cohort is None:  # check_roster refuses a row whose group it does not know
        raise ValueError(f"Roster line {row.line} has no group.")
    return row.cohort


def sync_roles_of(users: list[User]) -> None:
    """``sync_roles`` for many people at once, in a number of queries that does not grow with them."""
    if not users:
        return
    groups = {group.name: group for group in Group.objects.filter(name__in=_SYNCED_ROLES)}
    if len(groups) < len(_SYNCED_ROLES):
        groups.update({name: group for name, group in roles.ensure_role_groups().items() if name in _SYNCED_ROLES})
    ids = [user.pk for user in users]
    facilitators = set(
        User.facilitated_workshops.through.objects.filter(user_id__in=ids).values_list("user_id", flat=True)
    )
    participants = set(Participant.objects.filter(user_id__in=ids, is_active=True).values_list("user_id", flat=True))
    membership = User.groups.through
    by_id = {group.pk: name for name, group in groups.items()}
    current = {
        (user_id, by_id[group_id])
        for user_id, group_id in membership.objects.filter(user_id__in=ids, group_id__in=by_id).values_list(
            "user_id", "group_id"
        )
    }
    add, remove = [], []
    for user in users:
        wanted = {
            roles.ORGANIZER: user.is_staff,
            roles.FACILITATOR: user.pk in facilitators,
            roles.PARTICIPANT: user.pk in participants,
        }
        for name, on in wanted.items():
            if on and (user.pk, name) not in current:
                add.append(membership(user_id=user.pk, group_id=groups[name].pk))
            elif not on and (user.pk, name) in current:
                remove.append((user.pk, groups[name].pk))
    membership.objects.bulk_create(add)
    for user_id, group_id in remove:
        membership.objects.filter(user_id=user_id, group_id=group_id).delete()


ROSTER_IMPORT_STALE_AFTER = timedelta(minutes=30)  # as common.background.STALE_AFTER: its worker was lost


def queue_roster_import(
    workshop, rows: list[RosterRow], *, file_name: str, user: User | None, send_invitations: bool
) -> RosterImport:
    """Record a checked roster and import it in the worker once this transaction commits.

    The import itself (``run_roster_import``) checks the rows again: someone may enrol people meanwhile.
    """
    from django.utils import translation

    from .tasks import run_roster_import as task

    job = RosterImport.objects.create(
        workshop=workshop,
        requested_by=user,
        requested_at=dj_timezone.now(),
        language=translation.get_language() or "",
        file_name=file_name[:200],
        rows=[{"line": row.line, "values": row.values} for row in rows],
        row_count=len(rows),
        send_invitations=send_invitations,
    )
    transaction.on_commit(partial(task.delay, job.pk))
    return job


def run_roster_import(job_pk: int) -> bool:
    """Import a queued roster: everyone or nobody, in one transaction; invitations are queued when it commits.

    Idempotent: the job is claimed by a conditional update (queued → running), so a task delivered twice imports
    once. A job left "running" longer than ROSTER_IMPORT_STALE_AFTER (its worker was lost, its transaction rolled
    back) may be claimed again. While one worker imports, it holds the job's row lock: a second claim waits for it
    and then finds the job finished. Returns whether this call ran the job.
    """
    from django.db.models import Q
    from django.utils import translation

    started = dj_timezone.now()
    claimable = Q(status=RosterImport.Status.QUEUED) | Q(
        status=RosterImport.Status.RUNNING, started_at__lt=started - ROSTER_IMPORT_STALE_AFTER
    )
    claimed = RosterImport.objects.filter(claimable, pk=job_pk).update(
        status=RosterImport.Status.RUNNING, started_at=started, finished_at=None, error=""
    )
    if not claimed:
        return False
    try:
        with transaction.atomic():
            job = RosterImport.objects.select_for_update().select_related("workshop").filter(pk=job_pk).first()
            if job is None or job.status != RosterImport.Status.RUNNING or job.started_at != started:
                return False  # claimed again by another delivery since
            rows = [RosterRow(line=row["line"], values=row["values"]) for row in job.rows]
            with translation.override(job.language or settings.LANGUAGE_CODE):
                check, enrolled = import_roster(job.workshop, rows)
            if check.is_clean:
                job.status = RosterImport.Status.DONE
                job.imported_count = len(enrolled)
                job.invited_count = invite(enrolled) if job.send_invitations else 0
                job.rows = []  # the participants hold the data now
            else:
                job.status = RosterImport.Status.REFUSED
                job.problems = [
                    {"line": row.line, "values": row.values, "problems": row.problems[:20]}
                    for row in check.problem_rows
                ]
            job.finished_at = dj_timezone.now()
            job.save()
    except Exception as exc:
        logger.exception("roster import %s failed", job_pk)
        RosterImport.objects.filter(pk=job_pk, started_at=started).update(
            status=RosterImport.Status.FAILED, error=str(exc)[:300], finished_at=dj_timezone.now()
        )
        raise
    return True


def forget_in_roster_imports(email: str) -> int:
    """An erased person's rows leave the roster imports that still keep rows (refused, failed or waiting ones;
    a finished import keeps none). Returns how many imports changed."""
    from django.db.models import Q

    key = email.casefold()

    def others(rows):
        return [row for row in rows if str(row.get("values", {}).get("email", "")).casefold() != key]

    changed = 0
    for job in RosterImport.objects.select_for_update().filter(Q(rows__icontains=email) | Q(problems__icontains=email)):
        rows, problems = others(job.rows), others(job.problems)
        if (len(rows), len(problems)) != (len(job.rows), len(job.problems)):
            job.rows, job.problems = rows, problems
            job.save(update_fields=["rows", "problems"])
            changed += 1
    return changed


def roster_import_check(job: RosterImport) -> RosterCheck:
    """A refused job's rows as the preview's check shows them: every row, with the problems the worker found."""
    problems = {row["line"]: row["problems"] for row in job.problems}
    return RosterCheck(
        rows=[
            RosterRow(line=row["line"], values=row["values"], problems=list(problems.get(row["line"], [])))
            for row in job.rows
        ]
    )


def invite(participants) -> int:
    """Queue one invitation mail per person, sent once the current transaction commits."""
    from .tasks import send_invitation

    requested_at = dj_timezone.now().isoformat()
    ids = [participant.pk for participant in participants]
    for pk in ids:
        transaction.on_commit(partial(send_invitation.delay, pk, requested_at))
    return len(ids)


def invitation_link(user: User) -> str:
    """A one-time link to set a password, through allauth's password-reset-from-key flow."""
    from allauth.account.forms import default_token_generator
    from allauth.account.utils import user_pk_to_url_str

    path = reverse(
        "account_reset_password_from_key",
        kwargs={"uidb36": user_pk_to_url_str(user), "key": default_token_generator.make_token(user)},
    )
    return f"{settings.SITE_URL}{path}"


def deliver_invitation(participant_id: int, requested_at: str | None = None, *, connection=None) -> bool:
    """Send one invitation; returns False when there is nothing to send.

    Idempotent for a retried job: an invitation sent after ``requested_at`` is not sent again.
    """
    participant = (
        Participant.objects.select_related("user", "cohort__workshop", "country").filter(pk=participant_id).first()
    )
    if participant is None or not participant.is_active or not participant.user.is_active:
        return False
    already_sent = participant.invitation_sent_at
    if requested_at and already_sent and already_sent >= datetime.fromisoformat(requested_at):
        return False
    message = invitation_message(participant, connection=connection)
    message.send()
    participant.invitation_sent_at = dj_timezone.now()
    participant.save(update_fields=["invitation_sent_at"])
    return True


@in_language_of(lambda participant, **_: participant.user, lambda participant, **_: participant.cohort.workshop)
def invitation_message(participant: Participant, *, connection=None) -> PortalMail:
    from sessions_app.selectors import cohort_occurrences

    user = participant.user
    workshop = participant.cohort.workshop
    occurrences = cohort_occurrences(participant.cohort)
    zone = user.timezone or participant.country.timezone
    first = occurrences[0] if occurrences else None
    context = {
        "participant": participant,
        "user": user,
        "workshop": workshop,
        "cohort": participant.cohort,
        "first_occurrence": first,
        # Preformatted in the recipient's zone: the template engine would use the sending process's zone.
        "first_start": timefmt.moment_text(first.starts_at, workshop, zone, date="long") if first else "",
        "zone": zone,
        "set_password_url": invitation_link(user),
        "login_url": f"{settings.SITE_URL}{reverse('account_login')}",
        "reset_url": f"{settings.SITE_URL}{reverse('account_reset_password')}",
        "valid_days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
        "has_password": user.has_usable_password(),
    }
    subject = render_to_string("participants/email/invitation_subject.txt", context).strip()
    body = render_to_string("participants/email/invitation.txt", context)
    html = render_to_string("participants/email/invitation.html", context)
    message = PortalMail(
        subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{subject}",
        body=body,
        to=[user.email],
        connection=connection or get_connection(),
    )
    message.attach_alternative(html, "text/html")
    return message


def mark_invitations_accepted(user: User) -> int:
    """The person has set a password or signed in: their invitations are accepted."""
    return Participant.objects.filter(user=user, invitation_accepted_at__isnull=True).update(
        invitation_accepted_at=dj_timezone.now()
    )


def deactivate(participant: Participant) -> None:
    """Take someone out of their group without losing their work.

    Their submissions stay (and team work they handed in still counts for the team). If they have no other
    role, their account is switched off too, so they can no longer sign in.
    """
    with transaction.atomic():
        participant.is_active = False
        participant.save(update_fields=["is_active"])
        user = participant.user
        if (
            user.is_active
            and not user.is_staff
            and not user.facilitated_workshops.exists()
            and not user.participations.filter(is_active=True).exists()
        ):
            user.is_active = False
            user.save(update_fields=["is_active"])
        sync_roles(user)


def reactivate(participant: Participant) -> None:
    with transaction.atomic():
        participant.is_active = True
        participant.save(update_fields=["is_active"])
        if not participant.user.is_active:
            participant.user.is_active = True
            participant.user.save(update_fields=["is_active"])
        sync_roles(participant.user)


NEW_LINK_COOLDOWN_SECONDS = 10 * 60


def request_new_link(email: str) -> bool:
    """Someone whose invitation link expired asks for a fresh one.

    A fresh set-password link goes only to an address enrolled in a group (an active participant with an active
    account), at most once per address every ten minutes; the mail is queued after the transaction commits, so the
    answer and its timing are the same whether or not the address exists. Returns whether a mail was queued (for
    tests and logs only, never for the page).
    """
    from django.core.cache import cache

    from .tasks import send_new_link

    email = (email or "").strip().lower()
    participant = (
        Participant.objects.filter(user__email__iexact=email, user__is_active=True, is_active=True)
        .order_by("-joined_at", "-pk")
        .first()
    )
    if participant is None:
        return False
    if not cache.add(f"participants:new-link:{participant.user_id}", 1, NEW_LINK_COOLDOWN_SECONDS):
        return False
    transaction.on_commit(partial(send_new_link.delay, participant.pk))
    return True


def deliver_new_link(participant_id: int, *, connection=None) -> bool:
    """Send a fresh set-password link to an enrolled participant."""
    participant = (
        Participant.objects.select_related("user", "cohort__workshop").filter(pk=participant_id, is_active=True).first()
    )
    if participant is None or not participant.user.is_active:
        return False
    user = participant.user
    context = {
        "user": user,
        "workshop": participant.cohort.workshop,
        "set_password_url": invitation_link(user),
        "login_url": f"{settings.SITE_URL}{reverse('account_login')}",
        "valid_days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
    }
    with override_for(user, workshop=participant.cohort.workshop):
        subject = render_to_string("participants/email/new_link_subject.txt", context).strip()
        message = PortalMail(
            subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{subject}",
            body=render_to_string("participants/email/new_link.txt", context),
            to=[user.email],
            connection=connection or get_connection(),
        )
    message.send()
    return True
