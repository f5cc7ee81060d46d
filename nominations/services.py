"""Changing calls and nominations: nominating, deciding, forming the groups, enrolling."""

from __future__ import annotations

import logging
import zoneinfo
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from common import timefmt
from common.i18n import in_language_of, override_for
from common.mail import PortalMail
from participants import services as people
from participants.models import Participant
from participants.roster import RosterCheck, RosterRow, check_roster
from preparation.files import check_upload

from . import formation
from .models import Call, LogEntry, Nomination, Nominator, new_token

logger = logging.getLogger(__name__)
S = Nomination.Status

NOMINATOR_GROUP = "nominator"
PUBLIC_LIMIT_PER_ADDRESS = 5  # applications per client address per hour
PUBLIC_LIMIT_WINDOW = 60 * 60
PUBLIC_LIMIT_PER_EMAIL = 3  # confirmation mails per e-mail address per day
EDITABLE_FIELDS = ("first_name", "last_name", "email", "institution", "position", "seniority", "gender", "motivation")


class NominationError(ValidationError):
    """A rule said no; the message says which, and nothing was changed."""


def log(call, action: str, *, nomination=None, actor=None, note: str = "") -> LogEntry:
    return LogEntry.objects.create(call=call, nomination=nomination, actor=actor, action=action, note=note[:2000])


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def _send_later(subject: str, template: str, context: dict, to: list[str]) -> None:
    """One plain-text mail, sent once the current transaction commits (a rolled-back change sends nothing)."""
    body = render_to_string(template, context)
    message = PortalMail(subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{subject}", body=body, to=to)
    transaction.on_commit(lambda: _send(message))


def _send(message) -> None:
    try:
        message.send()
    except Exception:  # a mail server fault must not undo a nomination that is saved
        logger.exception("Nomination mail to %s could not be sent", message.to)


def deadline_text(call: Call, zone_name: str | None = None) -> str:
    """The deadline for mails: the person's zone beside the reference zone (the one moment helper)."""
    return timefmt.moment_text(call.deadline, call.workshop, zone_name)


# Nominators ---------------------------------------------------------------------------------------------------


def nominator_group() -> Group:
    return Group.objects.get_or_create(name=NOMINATOR_GROUP)[0]


def invite_nominator(call: Call, country, email: str, *, first_name: str = "", last_name: str = "", actor=None):
    """Make the person a nominator for the country and send them a link to set their password and nominate."""
    if not call.countries.filter(pk=country.pk).exists():
        raise NominationError(_("%(country)s is not eligible in this call.") % {"country": country.name})
    with transaction.atomic():
        user = people.ensure_user(email.strip().lower())
        changed: list[str] = []
        if first_name and not user.first_name:
            user.first_name, changed = first_name, [*changed, "first_name"]
        if last_name and not user.last_name:
            user.last_name, changed = last_name, [*changed, "last_name"]
        if changed:
            user.save(update_fields=changed)
        if not user.is_active:
            user.is_active = True
            user.save(update_fields=["is_active"])
        user.groups.add(nominator_group())
        nominator, _created = Nominator.objects.get_or_create(call=call, user=user, country=country)
        nominator.invited_at = timezone.now()
        nominator.save(update_fields=["invited_at"])
        context = {
            "user": user,
            "call": call,
            "workshop": call.workshop,
            "country": country,
            "deadline": deadline_text(call, user.timezone or country.timezone),
            "set_password_url": people.invitation_link(user),
            "has_password": user.has_usable_password(),
            "page_url": _absolute(reverse("nominations:country", args=[call.pk, country.code])),
            "login_url": _absolute(reverse("account_login")),
            "valid_days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
        }
        with override_for(user, workshop=call.workshop):  # the nominator's language, else the workshop's
            _send_later(
                _("Nominate participants for %(workshop)s") % {"workshop": call.workshop.title},
                "nominations/email/nominator_invitation.txt",
                context,
                [user.email],
            )
        log(call, "nominator_invited", actor=actor, note=f"{user.email} ({country.code})")
    return nominator


# Nominating ---------------------------------------------------------------------------------------------------


def _check_open(call: Call, country) -> None:
    if not call.accepts_nominations():
        raise NominationError(
            _("The call closed on %(deadline)s; nominations can no longer be added or changed.")
            % {"deadline": deadline_text(call)}
        )
    if not call.countries.filter(pk=country.pk).exists():
        raise NominationError(_("%(country)s is not eligible in this call.") % {"country": country.name})


def _check_required(call: Call, data: dict, has_cv: bool) -> None:
    missing = {}
    for name in call.required_fields():
        if name == "cv":
            if not has_cv:
                missing["cv"] = _("This call asks for a CV.")
        elif not (data.get(name) or "").strip():
            missing[name] = _("This call asks for this.")
    if missing:
        raise NominationError(missing)


def _attach_cv(nomination: Nomination, upload) -> None:
    if upload is None:
        return
    try:
        check_upload(upload)
    except ValidationError as exc:
        raise NominationError({"cv": exc.messages}) from exc
    if nomination.cv:
        nomination.cv.delete(save=False)
    nomination.cv_name = (upload.name or "cv")[-255:]
    nomination.cv.save(upload.name or "cv", upload, save=False)


def _save(nomination: Nomination) -> None:
    try:
        nomination.full_clean(exclude=["cv", "call", "country", "nominated_by", "proposed_cohort", "participant"])
    except ValidationError as exc:
        raise NominationError(exc.message_dict) from exc
    try:
        with transaction.atomic():
            nomination.save()
    except IntegrityError as exc:
        raise NominationError(
            {"email": _("%(email)s is already nominated for this workshop.") % {"email": nomination.email}}
        ) from exc


def _duplicate_email(call: Call, email: str | None, exclude_pk=None) -> bool:
    found = Nomination.objects.filter(call=call, email__iexact=(email or "").strip())
    if exclude_pk:
        found = found.exclude(pk=exclude_pk)
    return found.exists()


def nominate(call: Call, country, data: dict, *, by=None, cv=None, source=Nomination.Source.NOMINATOR) -> Nomination:
    """A nominator (or an organizer) nominates someone; a confirmation mail goes to them and to the nominator."""
    _check_open(call, country)
    _check_required(call, data, has_cv=cv is not None)
    if _duplicate_email(call, data.get("email")):
        raise NominationError(
            {"email": _("%(email)s is already nominated for this workshop.") % {"email": data.get("email")}}
        )
    nomination = Nomination(call=call, country=country, nominated_by=by, source=source, status=S.NOMINATED)
    for name in (*EDITABLE_FIELDS, "rank"):
        if name in data:
            setattr(nomination, name, data[name] if data[name] is not None else ("" if name != "rank" else None))
    with transaction.atomic():
        _attach_cv(nomination, cv)
        _save(nomination)
        log(call, "nominated", nomination=nomination, actor=by, note=f"{nomination.email} ({country.code})")
        _confirmation_mail(nomination, by)
    return nomination


def _confirmation_mail(nomination: Nomination, by=None) -> None:
    call = nomination.call
    context = {
        "nomination": nomination,
        "call": call,
        "workshop": call.workshop,
        "deadline": deadline_text(call, nomination.country.timezone),
    }
    recipients = [nomination.email]
    if by is not None and by.email and by.email != nomination.email and not by.is_staff:
        recipients.append(by.email)
    # The nominee has no account (no language of their own) yet: the workshop's language, the one they will work in.
    with override_for(None, workshop=call.workshop):
        context["deadline"] = deadline_text(call, nomination.country.timezone)
        _send_later(
            _("Nomination received: %(workshop)s") % {"workshop": call.workshop.title},
            "nominations/email/nomination_received.txt",
            context,
            recipients,
        )


def update_nomination(nomination: Nomination, data: dict, *, by=None, cv=None) -> Nomination:
    """Change a nomination before the deadline (organizers may correct it at any time)."""
    call = nomination.call
    if not (by is not None and by.is_staff):
        _check_open(call, nomination.country)
        if nomination.status not in (S.NOMINATED,):
            raise NominationError(_("The organizers have decided on this nomination; it can no longer be changed."))
    _check_required(call, data, has_cv=cv is not None or bool(nomination.cv))
    if _duplicate_email(call, data.get("email", nomination.email), exclude_pk=nomination.pk):
        raise NominationError(
            {"email": _("%(email)s is already nominated for this workshop.") % {"email": data.get("email")}}
        )
    for name in (*EDITABLE_FIELDS, "rank"):
        if name in data:
            setattr(nomination, name, data[name] if data[name] is not None else ("" if name != "rank" else None))
    with transaction.atomic():
        _attach_cv(nomination, cv)
        _save(nomination)
        log(call, "edited", nomination=nomination, actor=by)
    return nomination


def withdraw(nomination: Nomination, *, by=None, note: str = "") -> Nomination:
    """Take a nomination back. Nominators may until the deadline; organizers at any time (someone drops out)."""
    call = nomination.call
    if nomination.status == S.WITHDRAWN:
        raise NominationError(_("This nomination is already withdrawn."))
    if not (by is not None and by.is_staff):
        _check_open(call, nomination.country)
        if nomination.status != S.NOMINATED:
            raise NominationError(_("The organizers have decided on this nomination; ask them to withdraw it."))
    with transaction.atomic():
        was = nomination.get_status_display()
        nomination.status = S.WITHDRAWN
        nomination.proposed_cohort = None
        nomination.save(update_fields=["status", "proposed_cohort", "updated_at"])
        if nomination.participant is not None and nomination.participant.is_active:
            # Enrolled already: the person leaves their group (their work stays), and a seat is free.
            people.deactivate(nomination.participant)
        log(call, "withdrawn", nomination=nomination, actor=by, note=f"{was}. {note}".strip())
    return nomination


# Public applications (open calls) ------------------------------------------------------------------------------


def _over_limit(key: str, limit: int, window: int) -> bool:
    cache.add(key, 0, window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, window)
        count = 1
    return count > limit


def apply_publicly(call: Call, country, data: dict, *, client_address: str, cv=None) -> Nomination | None:
    """An application through the open call's public form: it counts once its e-mail link is followed.

    Rate-limited per client address and per e-mail address (cache-based, no captcha). Returns None when the
    address is already nominated: the page says the same either way, so the form does not reveal who applied.
    """
    if not call.is_open_call:
        raise NominationError(_("This call does not take public applications."))
    _check_open(call, country)
    if _over_limit(f"nominations:apply:ip:{client_address}", PUBLIC_LIMIT_PER_ADDRESS, PUBLIC_LIMIT_WINDOW):
        raise NominationError(_("Too many applications from your connection. Please try again in an hour."))
    email = (data.get("email") or "").strip().lower()
    if _over_limit(f"nominations:apply:email:{email}", PUBLIC_LIMIT_PER_EMAIL, 24 * 60 * 60):
        raise NominationError(_("Too many applications for this e-mail address today. Please try again tomorrow."))
    _check_required(call, data, has_cv=cv is not None)
    if _duplicate_email(call, email):
        return None
    nomination = Nomination(
        call=call,
        country=country,
        source=Nomination.Source.PUBLIC,
        status=S.UNCONFIRMED,
        confirmation_token=new_token(),
    )
    for name in EDITABLE_FIELDS:
        if name in data:
            setattr(nomination, name, data[name] or "")
    with transaction.atomic():
        _attach_cv(nomination, cv)
        try:
            _save(nomination)
        except NominationError as exc:
            if "email" in getattr(exc, "message_dict", {}):
                return None
            raise
        _send_later(
            _("Confirm your application: %(workshop)s") % {"workshop": call.workshop.title},
            "nominations/email/confirm_application.txt",
            {
                "nomination": nomination,
                "workshop": call.workshop,
                "confirm_url": _absolute(reverse("nominations:confirm", args=[nomination.confirmation_token])),
            },
            [nomination.email],
        )
    return nomination


def confirm_application(token: str) -> Nomination | None:
    """Following the mailed link makes an application count (once; before the deadline)."""
    if not token or len(token) > 64:
        return None
    with transaction.atomic():
        nomination = (
            Nomination.objects.select_for_update()
            .select_related("call__workshop", "country")
            .filter(confirmation_token=token, status=S.UNCONFIRMED)
            .first()
        )
        if nomination is None:
            return None
        if not nomination.call.accepts_nominations():
            raise NominationError(_("The call closed before the application was confirmed."))
        nomination.status = S.NOMINATED
        nomination.confirmation_token = ""
        nomination.save(update_fields=["status", "confirmation_token", "updated_at"])
        log(nomination.call, "application_confirmed", nomination=nomination, note=nomination.email)
        _confirmation_mail(nomination)
    return nomination


# Selecting ----------------------------------------------------------------------------------------------------

DECISIONS = {S.ACCEPTED, S.WAITLISTED, S.DECLINED, S.NOMINATED}


def decide(nomination: Nomination, status: str, *, by, note: str = "", override: bool = False) -> Nomination:
    """Accept, waitlist or decline (or undo to 'nominated'), with a note. More accepted than seats needs override."""
    if status not in DECISIONS:
        raise NominationError(_("Choose accept, waitlist or decline."))
    if nomination.status in (S.UNCONFIRMED, S.WITHDRAWN):
        raise NominationError(_("This nomination is not in the running (withdrawn or not confirmed)."))
    if nomination.participant_id and status != S.ACCEPTED:
        raise NominationError(_("This person is already enrolled; take them out of their group in the admin first."))
    call = nomination.call
    with transaction.atomic():
        # Lock the country's nominations so two organizers accepting at once cannot both take the last seat.
        accepted = list(
            Nomination.objects.select_for_update()
            .filter(call=call, country_id=nomination.country_id, status=S.ACCEPTED)
            .exclude(pk=nomination.pk)
            .values_list("pk", flat=True)
        )
        over = status == S.ACCEPTED and len(accepted) + 1 > call.seats_per_country
        if over and not override:
            raise NominationError(
                _(
                    "%(country)s has %(seats)s seats and %(accepted)s accepted already. Waitlist this person, "
                    "or tick “override the seats” to accept anyway (it is logged)."
                )
                % {"country": nomination.country.name, "seats": call.seats_per_country, "accepted": len(accepted)}
            )
        nomination.status = status
        nomination.decision_note = (note or "")[:500]
        nomination.decided_at = timezone.now()
        if status != S.ACCEPTED:
            nomination.proposed_cohort = None
        nomination.save(update_fields=["status", "decision_note", "decided_at", "proposed_cohort", "updated_at"])
        log(call, status, nomination=nomination, actor=by, note=note)
        if over:
            log(
                call,
                "seats_override",
                nomination=nomination,
                actor=by,
                note=_("%(country)s: %(n)s accepted for %(seats)s seats.")
                % {"country": nomination.country.name, "n": len(accepted) + 1, "seats": call.seats_per_country},
            )
    return nomination


def promote(nomination: Nomination, *, by, note: str = "") -> Nomination:
    """A waitlisted candidate takes a seat that became free (someone withdrew); logged."""
    if nomination.status != S.WAITLISTED:
        raise NominationError(_("Only a waitlisted candidate can be promoted."))
    decide(nomination, S.ACCEPTED, by=by, note=note)
    log(nomination.call, "promoted", nomination=nomination, actor=by, note=note)
    return nomination


# Forming the groups and enrolling -----------------------------------------------------------------------------


def _utc_offset_minutes(zone: str, at: datetime) -> int:
    offset = at.astimezone(zoneinfo.ZoneInfo(zone)).utcoffset()
    return int(offset.total_seconds() // 60) if offset else 0


def propose_groups(call: Call, *, seed: int, by=None) -> dict:
    """Run the group formation on the accepted people not enrolled yet and keep its proposal (nobody is enrolled).

    Capacities count everyone enrolled already. Someone accepted later (a promotion from the waitlist) whose
    country is already enrolled goes to that country's group, so a country is never split.
    """
    cohorts = list(call.workshop.cohorts.order_by("name"))
    taken = _places_taken(call)
    pending = list(
        Nomination.objects.filter(call=call, status=S.ACCEPTED, participant__isnull=True).select_related("country")
    )
    country_group = dict(
        Nomination.objects.filter(call=call, status=S.ACCEPTED, participant__is_active=True).values_list(
            "country_id", "participant__cohort_id"
        )
    )
    pinned = [n for n in pending if n.country_id in country_group]
    for n in pinned:
        taken[country_group[n.country_id]] = taken.get(country_group[n.country_id], 0) + 1
    accepted = [n for n in pending if n.country_id not in country_group]
    people = [
        formation.Person(
            key=n.pk,
            country=n.country.code,
            gender=n.gender,
            utc_offset=_utc_offset_minutes(n.country.timezone, call.deadline),
        )
        for n in accepted
    ]
    groups = [formation.Group(key=c.pk, capacity=max(0, c.capacity - taken.get(c.pk, 0))) for c in cohorts]
    try:
        assignment = formation.form_groups(people, groups, seed=seed)
    except formation.FormationError as exc:
        raise NominationError(str(exc)) from exc
    with transaction.atomic():
        for cohort_id, keys in assignment.items():
            Nomination.objects.filter(pk__in=keys).update(proposed_cohort_id=cohort_id)
        for n in pinned:
            Nomination.objects.filter(pk=n.pk).update(proposed_cohort_id=country_group[n.country_id])
        log(call, "groups_proposed", actor=by, note=f"seed {seed}")
    return assignment


def _places_taken(call: Call) -> dict[int, int]:
    """People enrolled in each group already (a roster import, an earlier confirmation); the proposal fills the rest."""
    from django.db.models import Count

    rows = (
        Participant.objects.filter(cohort__workshop=call.workshop, is_active=True)
        .values("cohort_id")
        .annotate(n=Count("pk"))
    )
    return {row["cohort_id"]: row["n"] for row in rows}


def move_country(call: Call, country, cohort, *, by=None) -> int:
    """Put a country's accepted people in another group of the proposal (a country is never split)."""
    if cohort.workshop_id != call.workshop_id:
        raise NominationError(_("Pick a group of this workshop."))
    if Nomination.objects.filter(call=call, country=country, status=S.ACCEPTED, participant__is_active=True).exists():
        raise NominationError(
            _("%(country)s is enrolled already; move its people in the admin if you must.") % {"country": country.name}
        )
    with transaction.atomic():
        moved = Nomination.objects.filter(
            call=call, country=country, status=S.ACCEPTED, participant__isnull=True
        ).update(proposed_cohort=cohort)
        log(call, "country_moved", actor=by, note=f"{country.code} → {cohort.name}")
    return moved


def roster_rows(call: Call) -> list[RosterRow]:
    rows = []
    for line, nomination in enumerate(
        Nomination.objects.filter(call=call, status=S.ACCEPTED, participant__isnull=True)
        .select_related("country", "proposed_cohort")
        .order_by("country__name", "last_name"),
        start=1,
    ):
        rows.append(
            RosterRow(
                line=line,
                values={
                    "email": nomination.email,
                    "first_name": nomination.first_name,
                    "last_name": nomination.last_name,
                    "country": nomination.country.code,
                    "group": nomination.proposed_cohort.name if nomination.proposed_cohort else "",
                    "institution": nomination.institution,
                    "position": nomination.position,
                },
            )
        )
    return rows


@dataclass
class Confirmation:
    check: RosterCheck
    enrolled: list[Participant]

    @property
    def ok(self) -> bool:
        return self.check.is_clean


def check_groups(call: Call) -> RosterCheck:
    return check_roster(call.workshop, roster_rows(call))


def confirm_groups(call: Call, *, by=None) -> Confirmation:
    """Enrol every accepted person in their proposed group in one transaction and send the invitations.

    The rows go through the roster import's checks; any problem in any row enrols nobody.
    """
    rows = roster_rows(call)
    if not rows:
        raise NominationError(_("Nobody accepted is waiting to be enrolled."))
    with transaction.atomic():
        Call.objects.select_for_update().filter(pk=call.pk).first()
        check, enrolled = people.import_roster(call.workshop, rows)
        if not check.is_clean:
            return Confirmation(check=check, enrolled=[])
        by_email = {p.user.email.casefold(): p for p in enrolled}
        now = timezone.now()
        linked = []
        for nomination in Nomination.objects.filter(call=call, status=S.ACCEPTED, participant__isnull=True):
            participant = by_email.get(nomination.email.casefold())
            if participant is not None:
                nomination.participant, nomination.updated_at = participant, now
                linked.append(nomination)
        Nomination.objects.bulk_update(linked, ["participant", "updated_at"], batch_size=500)
        call.groups_confirmed_at = timezone.now()
        call.save(update_fields=["groups_confirmed_at"])
        people.invite(enrolled)
        log(call, "groups_confirmed", actor=by, note=_("%(n)s people enrolled") % {"n": len(enrolled)})
    return Confirmation(check=check, enrolled=enrolled)


# Courteous mail to those not selected -------------------------------------------------------------------------


def courtesy_recipients(call: Call) -> list[Nomination]:
    return list(
        Nomination.objects.filter(call=call, status__in=[S.DECLINED, S.WAITLISTED], courtesy_sent_at__isnull=True)
        .select_related("country")
        .order_by("status", "country__name", "last_name")
    )


@in_language_of(lambda nomination, intro="": None, lambda nomination, intro="": nomination.call.workshop)
def courtesy_message(nomination: Nomination, intro: str = "") -> tuple[str, str]:
    call = nomination.call
    subject = _("Your nomination for %(workshop)s") % {"workshop": call.workshop.title}
    body = render_to_string(
        "nominations/email/courtesy.txt",
        {
            "nomination": nomination,
            "workshop": call.workshop,
            "intro": intro,
            "waitlisted": nomination.status == S.WAITLISTED,
        },
    )
    return subject, body


def send_courtesy_mails(call: Call, *, by=None, intro: str = "") -> int:
    recipients = courtesy_recipients(call)
    now = timezone.now()
    with transaction.atomic():
        for nomination in recipients:
            subject, body = courtesy_message(nomination, intro)
            message = PortalMail(
                subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{subject}", body=body, to=[nomination.email]
            )
            transaction.on_commit(partial(_send, message))
        Nomination.objects.filter(pk__in=[n.pk for n in recipients]).update(courtesy_sent_at=now)
        log(call, "courtesy_sent", actor=by, note=_("%(n)s mails") % {"n": len(recipients)})
    return len(recipients)
