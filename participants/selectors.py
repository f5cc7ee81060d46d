"""Functions that read who someone is in the portal."""

from __future__ import annotations

import zoneinfo

from django.db.models import Exists, OuterRef

from .models import Participant, User


def current_participation(user, *, with_facilitates: bool = False) -> Participant | None:
    """The participation a signed-in person acts in: their most recent active one.

    ``with_facilitates``: the same query also says whether the person facilitates any workshop
    (``participation.user_facilitates``), which the navigation asks on every page.
    """
    if not getattr(user, "is_authenticated", False):
        return None
    participations = (
        Participant.objects.filter(user=user, is_active=True)
        .select_related("cohort__workshop", "country", "user")
        .order_by("-joined_at", "-pk")
    )
    if with_facilitates:
        from sessions_app.models import Workshop

        participations = participations.annotate(
            user_facilitates=Exists(Workshop.facilitators.through.objects.filter(user_id=OuterRef("user_id")))
        )
    return participations.first()


def timezone_name_for(user: User, participation: Participant | None) -> str:
    if getattr(user, "is_authenticated", False) and user.timezone:
        return user.timezone
    if participation is not None:
        return participation.country.timezone
    return "UTC"


def is_valid_timezone(name: str) -> bool:
    return name in zoneinfo.available_timezones()


def participant_ids_opted_out(participant_ids) -> set[int]:
    """Participants who turned off optional e-mail (reminders and notices) in their profile."""
    return set(
        Participant.objects.filter(pk__in=list(participant_ids), user__email_notifications=False).values_list(
            "pk", flat=True
        )
    )


def group_participants(cohort_id: int):
    """A group's active participants in roster order (country, then name): attendance sheets, draws, debates."""
    return (
        Participant.objects.filter(cohort_id=cohort_id, is_active=True)
        .select_related("user", "country")
        .order_by("country__name", "user__last_name", "user__first_name", "pk")
    )


def participants_by_group(workshop) -> dict[int, list[Participant]]:
    """Each group's active participants, by e-mail: the demo loaders draw from them in a fixed order."""
    groups: dict[int, list[Participant]] = {}
    for participant in (
        Participant.objects.filter(cohort__workshop=workshop, is_active=True)
        .select_related("user")
        .order_by("user__email")
    ):
        groups.setdefault(participant.cohort_id, []).append(participant)
    return groups
