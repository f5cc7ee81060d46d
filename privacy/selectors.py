"""What the portal holds about a person, and who a retention rule would erase."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import datetime
from pathlib import PurePath

from django.core import serializers
from django.db.models import Max, Q

from participants.models import ERASED_EMAIL_DOMAIN, Participant, User

# Secrets and internals that are not data *about* the person: never exported.
NOT_EXPORTED = {
    ("participants", "user"): {"password"},
    ("participants", "participant"): {"calendar_token"},
}


def _rows(queryset) -> list[dict]:
    model = queryset.model
    hidden = NOT_EXPORTED.get((model._meta.app_label, model._meta.model_name), set())
    rows = serializers.serialize("python", queryset.order_by("pk"))
    for row in rows:
        for name in hidden:
            row["fields"].pop(name, None)
    return rows


def _reverse_rows(model, objects) -> dict[str, list[dict]]:
    """Every row of every model that points at one of ``objects`` (a participation or the account)."""
    found: dict[str, list[dict]] = {}
    for relation in model._meta.related_objects:
        if relation.many_to_many or not relation.field.concrete:
            continue
        related = relation.related_model
        if related._meta.app_label in {"sessions", "admin"}:
            continue
        rows = _rows(related._base_manager.filter(**{f"{relation.field.name}__in": objects}))
        if rows:
            found.setdefault(related._meta.label_lower, []).extend(rows)
    return found


def personal_data(user: User) -> dict:
    """Everything the portal holds about ``user``: the account, each participation and every row pointing at
    either, plus the answers of their own DTCA questionnaires and of the named evaluations they gave.

    Anonymous evaluation responses are not theirs to read here: nothing records which ones are theirs."""
    from assessments.models import Answer as DtcaAnswer
    from evaluations.models import Answer as EvaluationAnswer
    from evaluations.models import Response

    participations = list(Participant.objects.filter(user=user))
    data = {
        "account": _rows(User.objects.filter(pk=user.pk)),
        "participations": _rows(Participant.objects.filter(user=user)),
        "related": {},
    }
    for model, objects in ((User, [user]), (Participant, participations)):
        for label, rows in _reverse_rows(model, objects).items():
            if label != "participants.participant":
                data["related"].setdefault(label, []).extend(rows)
    # A nomination is theirs when it became their participation or carries their address (before they enrolled).
    data["related"]["nominations.nomination"] = _rows(nominations_of(user, participations))
    named = Response.objects.filter(completion__participant__in=participations)
    data["related"]["evaluations.response"] = _rows(named)
    data["related"]["evaluations.answer"] = _rows(EvaluationAnswer.objects.filter(response__in=named))
    data["related"]["assessments.answer"] = _rows(DtcaAnswer.objects.filter(assessment__participant__in=participations))
    data["related"] = {label: rows for label, rows in sorted(data["related"].items()) if rows}
    return data


def nominations_of(user: User, participations=None):
    from nominations.models import Nomination

    if participations is None:
        participations = list(Participant.objects.filter(user=user))
    return Nomination.objects.filter(Q(email__iexact=user.email) | Q(participant__in=participations)).distinct()


def own_files(user: User) -> list[tuple[str, str]]:
    """(name in the export, name in the storage) of every file this person handed in (alone or for a team)."""
    from preparation.models import SubmissionVersion

    versions = (
        SubmissionVersion.objects.filter(submitted_by__user=user)
        .exclude(file="")
        .select_related("submission__task")
        .order_by("pk")
    )
    files = [
        (f"files/{version.pk} - {PurePath(version.original_name or version.file.name).name}", version.file.name)
        for version in versions
    ]
    for nomination in nominations_of(user).exclude(cv="").order_by("pk"):
        files.append(
            (
                f"files/cv-{nomination.pk} - {PurePath(nomination.cv_name or nomination.cv.name).name}",
                nomination.cv.name,
            )
        )
    return files


def months_before(moment: datetime, months: int) -> datetime:
    month_index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(month_index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


@dataclass
class RetentionCandidate:
    user: User
    workshops: list[str]
    ended_at: datetime


def _workshops_by_end():
    """Workshops with the end of their last session (``ended_at``; None while they have no sessions)."""
    from sessions_app.models import Workshop

    return Workshop.objects.annotate(ended_at=Max("cohorts__occurrences__ends_at"))


def roster_imports_to_forget(months: int, now: datetime):
    """Roster imports of workshops that ended more than ``months`` months before ``now`` and still hold a file's
    rows: a refused or failed import keeps the rows of people who never became participants, whom no erasure of
    participants reaches. Imports waiting or running are left to finish."""
    from participants.models import RosterImport

    ended = _workshops_by_end().filter(ended_at__lt=months_before(now, months))
    return (
        RosterImport.objects.filter(workshop__in=ended.values("pk"))
        .exclude(status__in=[RosterImport.Status.QUEUED, RosterImport.Status.RUNNING])
        .exclude(rows=[], problems=[])
        .order_by("pk")
    )


def retention_candidates(months: int, now: datetime) -> list[RetentionCandidate]:
    """Participants every one of whose workshops ended more than ``months`` months before ``now``.

    Never staff, superusers or facilitators, never someone still in a workshop that has not ended (or has no
    sessions yet), never an account already erased."""
    cutoff = months_before(now, months)
    workshops = _workshops_by_end()
    open_ids = workshops.filter(Q(ended_at__gte=cutoff) | Q(ended_at__isnull=True)).values("pk")
    ended = {workshop.pk: workshop for workshop in workshops.filter(ended_at__lt=cutoff)}
    users = (
        User.objects.filter(participations__isnull=False, is_staff=False, is_superuser=False)
        .exclude(email__endswith="@" + ERASED_EMAIL_DOMAIN)
        .exclude(participations__cohort__workshop__in=open_ids)
        .exclude(facilitated_workshops__isnull=False)
        .distinct()
        .order_by("pk")
    )
    users = list(users)
    memberships: dict[int, set[int]] = {}
    for user_id, workshop_id in Participant.objects.filter(user__in=users).values_list(
        "user_id", "cohort__workshop_id"
    ):
        memberships.setdefault(user_id, set()).add(workshop_id)
    candidates = []
    for user in users:
        theirs = [ended[pk] for pk in sorted(memberships.get(user.pk, ())) if pk in ended]
        if theirs:
            candidates.append(
                RetentionCandidate(
                    user=user,
                    workshops=[workshop.title for workshop in theirs],
                    ended_at=max(workshop.ended_at for workshop in theirs),
                )
            )
    return candidates
