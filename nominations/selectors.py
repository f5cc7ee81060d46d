"""Reading calls and nominations, in a fixed number of queries whatever their number."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Q

from common.i18n import sorted_by
from participants.models import Country, Participant

from .models import Call, Nomination, Nominator

S = Nomination.Status


def call_for_workshop(workshop) -> Call | None:
    return Call.objects.filter(workshop=workshop).select_related("workshop").first()


def nominator_countries(user) -> list[Nominator]:
    """The calls and countries a person nominates for."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(Nominator.objects.filter(user=user).select_related("call__workshop", "country"))


def call_with_workshop(call_id: int) -> Call | None:
    return Call.objects.select_related("workshop").filter(pk=call_id).first()


def country_by_code(code: str) -> Country | None:
    return Country.objects.filter(code__iexact=code or "").first()


def call_has_country(call: Call, country: Country) -> bool:
    return call.countries.filter(pk=country.pk).exists()


def nominates_for(user, call: Call, country: Country) -> bool:
    """The user is an active nominator of this country in this call."""
    return Nominator.objects.filter(call=call, country=country, user=user, user__is_active=True).exists()


def nomination_of(call: Call, country: Country, pk: int) -> Nomination | None:
    return Nomination.objects.filter(pk=pk, call=call, country=country).select_related("call__workshop").first()


def call_of_workshop(workshop_id: int) -> Call | None:
    return Call.objects.select_related("workshop").filter(workshop_id=workshop_id).first()


def country_nominations(call: Call, country: Country) -> list[Nomination]:
    return list(
        Nomination.objects.filter(call=call, country=country)
        .exclude(status=S.UNCONFIRMED)
        .order_by("status", "rank", "last_name")
    )


@dataclass
class CountryRow:
    country: Country
    seats: int
    nominations: list[Nomination] = field(default_factory=list)
    counts: Counter = field(default_factory=Counter)
    nominators: int = 0

    @property
    def accepted(self) -> int:
        return self.counts[S.ACCEPTED]

    @property
    def seats_left(self) -> int:
        return self.seats - self.accepted

    @property
    def over_seats(self) -> bool:
        return self.accepted > self.seats

    @property
    def nominated(self) -> int:
        return sum(self.counts[s] for s in (S.NOMINATED, S.ACCEPTED, S.WAITLISTED, S.DECLINED))


@dataclass
class Review:
    call: Call
    rows: list[CountryRow]
    gender: Counter
    seniority: Counter
    duplicates: dict[int, str]  # nomination id → why it looks like a duplicate
    log: list


def review(call: Call) -> Review:
    """Everything the organizers' review page shows, in five queries."""
    countries = list(call.countries.all())
    rows = {country.pk: CountryRow(country=country, seats=call.seats_per_country) for country in countries}
    nominations = list(
        Nomination.objects.filter(call=call)
        .exclude(status=S.UNCONFIRMED)
        .select_related("country", "proposed_cohort", "nominated_by")
        .order_by("country__name", "rank", "last_name")
    )
    gender: Counter = Counter()
    seniority: Counter = Counter()
    for nomination in nominations:
        row = rows.get(nomination.country_id)
        if row is None:  # a country taken off the eligible list after it nominated
            row = rows[nomination.country_id] = CountryRow(country=nomination.country, seats=call.seats_per_country)
        row.nominations.append(nomination)
        row.counts[nomination.status] += 1
        if nomination.status == S.ACCEPTED:
            gender[nomination.gender or ""] += 1
            seniority[nomination.seniority or ""] += 1
    for country_id in Nominator.objects.filter(call=call).values_list("country_id", flat=True):
        if country_id in rows:
            rows[country_id].nominators += 1
    return Review(
        call=call,
        rows=sorted_by(rows.values(), lambda row: row.country.name),  # the reader's language's order
        gender=gender,
        seniority=seniority,
        duplicates=duplicates(call, nominations),
        log=list(call.log.select_related("actor", "nomination")[:30]),
    )


def duplicates(call: Call, nominations: list[Nomination]) -> dict[int, str]:
    """Nominations of someone already enrolled in the workshop, or of the same name as another nomination."""
    live = [n for n in nominations if n.status != S.WITHDRAWN]
    enrolled = set(
        Participant.objects.filter(cohort__workshop_id=call.workshop_id, is_active=True)
        .filter(Q(user__email__in=[n.email for n in live]))
        .exclude(nominations__call=call)
        .values_list("user__email", flat=True)
    )
    names = Counter((n.first_name.casefold().strip(), n.last_name.casefold().strip()) for n in live)
    found = {}
    for nomination in live:
        if nomination.email.casefold() in {e.casefold() for e in enrolled}:
            found[nomination.pk] = str(_already_enrolled())
        elif names[(nomination.first_name.casefold().strip(), nomination.last_name.casefold().strip())] > 1:
            found[nomination.pk] = str(_same_name())
    return found


def _already_enrolled():
    from django.utils.translation import gettext

    return gettext("Already enrolled in this workshop.")


def _same_name():
    from django.utils.translation import gettext

    return gettext("Another nomination has the same name: the same person twice?")


def summary(call: Call) -> list[dict]:
    """Per country: nominated, accepted, waitlisted, declined, and the gender of those nominated."""
    result = {c.pk: {"country": c, "counts": Counter(), "gender": Counter()} for c in call.countries.all()}
    for country_id, status, gender in (
        Nomination.objects.filter(call=call).exclude(status=S.UNCONFIRMED).values_list("country_id", "status", "gender")
    ):
        if country_id not in result:
            continue
        entry = result[country_id]
        entry["counts"][status] += 1
        if status != S.WITHDRAWN:
            entry["gender"][gender or ""] += 1
    rows = []
    for entry in sorted(result.values(), key=lambda e: e["country"].name):
        counts, gender = entry["counts"], entry["gender"]
        rows.append(
            {
                "country": entry["country"],
                "nominated": sum(counts[s] for s in (S.NOMINATED, S.ACCEPTED, S.WAITLISTED, S.DECLINED)),
                "accepted": counts[S.ACCEPTED],
                "waitlisted": counts[S.WAITLISTED],
                "declined": counts[S.DECLINED],
                "withdrawn": counts[S.WITHDRAWN],
                "women": gender["woman"],
                "men": gender["man"],
                "other_or_not_given": gender["other"] + gender[""],
            }
        )
    return rows


def accepted(call: Call) -> list[Nomination]:
    """Everyone accepted, each with ``group_id``: the group they are enrolled in, else the proposed one."""
    found = list(
        Nomination.objects.filter(call=call, status=S.ACCEPTED)
        .select_related("country", "proposed_cohort", "participant")
        .order_by("country__name", "rank", "last_name")
    )
    for nomination in found:
        enrolled = nomination.participant if nomination.participant_id and nomination.participant.is_active else None
        nomination.group_id = enrolled.cohort_id if enrolled else nomination.proposed_cohort_id
    return found


def profiles_of_participants(cohort_ids) -> dict[int, tuple[str, str]]:
    """Each active participant's gender and seniority as their nomination recorded them ("" where not given), in one
    query. Participants enrolled without a nomination are absent. Should a person have several nominations linked,
    the accepted one wins, then the latest."""
    rows = (
        Nomination.objects.filter(participant__cohort_id__in=list(cohort_ids), participant__is_active=True)
        .order_by()
        .values_list("participant_id", "gender", "seniority", "status", "updated_at", "pk")
    )
    found: dict[int, tuple[str, str]] = {}
    for participant_id, gender, seniority, *_rest in sorted(
        rows, key=lambda row: (row[3] == S.ACCEPTED, row[4], row[5])
    ):
        found[participant_id] = (gender or "", seniority or "")
    return found
