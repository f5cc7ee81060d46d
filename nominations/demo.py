"""The demo's call for nominations: closed, with the 40 demo participants as the accepted nominations."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from participants import services as people
from participants.models import Participant

from .models import Call, LogEntry, Nomination, Nominator
from .services import nominator_group

S = Nomination.Status

# Fictional candidates who were not selected: (country code, first, last, status, gender, seniority, note).
NOT_SELECTED = [
    ("JM", "Rohan", "Blake", S.WAITLISTED, "man", "middle", "Third nomination for Jamaica; first on the waitlist."),
    ("TT", "Kerry-Ann", "Mohammed", S.WAITLISTED, "woman", "senior", "Third nomination for Trinidad and Tobago."),
    ("BB", "Stephen", "Greaves", S.WAITLISTED, "man", "senior", "Third nomination for Barbados."),
    ("GY", "Vanessa", "Persaud", S.DECLINED, "woman", "junior", "Below the seniority the workshop asks for."),
    ("BS", "Lionel", "Rolle", S.DECLINED, "man", "middle", "Nominated after the country's two seats were filled."),
]
# A guess from the roster's invented first names, so the demo's gender balance has something to show.
WOMEN = {
    "Aaliyah", "Keisha", "Shanice", "Renee", "Tamara", "Nadia", "Alicia", "Simone", "Latoya", "Janelle",
    "Claudette", "Monique", "Sherise",
}  # fmt: skip
SENIORITY = {
    "Planning Officer": "middle",
    "Project Manager": "middle",
    "Senior Policy Analyst": "senior",
    "Chief Information Officer": "executive",
    "Director": "executive",
    "Deputy Permanent Secretary": "executive",
}


def load(workshop):
    if Call.objects.filter(workshop=workshop).exists():
        return None
    participants = list(
        Participant.objects.filter(cohort__workshop=workshop).select_related("user", "country", "cohort")
    )
    if not participants:
        return None
    first = (
        workshop.cohorts.filter(occurrences__isnull=False)
        .order_by("occurrences__starts_at")
        .values_list("occurrences__starts_at", flat=True)
        .first()
        or timezone.now()
    )
    countries = {p.country.pk: p.country for p in participants}
    call = Call.objects.create(
        workshop=workshop,
        deadline=first - timedelta(days=28),
        seats_per_country=2,
        who_nominates=Call.WhoNominates.NOMINATORS,
        is_closed=True,
        require_gender=False,
    )
    call.countries.set(countries.values())
    password_hash = make_password(settings.DEMO_PASSWORD)
    group = nominator_group()
    nominators = {}
    for index, cohort in enumerate(workshop.cohorts.order_by("name")):
        email = "nominator@demo.test" if index == 0 else f"nominator-{cohort.name.split()[-1].lower()}@demo.test"
        user = people.ensure_user(
            email, password_hash=password_hash, first_name="Nadine", last_name=f"Nominator {cohort.name}"
        )
        user.groups.add(group)
        for participant in participants:
            if participant.cohort_id == cohort.pk and participant.country_id not in nominators:
                nominators[participant.country_id] = user
                Nominator.objects.get_or_create(
                    call=call, user=user, country=participant.country, defaults={"invited_at": call.created_at}
                )
    rows = []
    for rank, participant in enumerate(sorted(participants, key=lambda p: (p.country.code, p.pk))):
        user = participant.user
        rows.append(
            Nomination(
                call=call,
                country=participant.country,
                first_name=user.first_name,
                last_name=user.last_name,
                email=user.email,
                institution=participant.institution,
                position=participant.position,
                seniority=SENIORITY.get(participant.position, ""),
                gender="woman" if user.first_name in WOMEN else "man",
                motivation="Leads the digital transformation work of the ministry.",
                rank=rank % 2 + 1,
                nominated_by=nominators.get(participant.country_id),
                status=S.ACCEPTED,
                decided_at=call.deadline,
                proposed_cohort=participant.cohort,
                participant=participant,
            )
        )
    by_code = {c.code: c for c in countries.values()}
    for code, first_name, last_name, status, gender, seniority, note in NOT_SELECTED:
        if code not in by_code:
            continue
        rows.append(
            Nomination(
                call=call,
                country=by_code[code],
                first_name=first_name,
                last_name=last_name,
                email=f"{first_name}.{last_name}@{code.lower()}.demo.test".lower(),
                institution="Ministry of Public Service",
                position="Planning Officer",
                seniority=seniority,
                gender=gender,
                motivation="Coordinates the ministry's e-services.",
                rank=3,
                nominated_by=nominators.get(by_code[code].pk),
                status=status,
                decision_note=note,
                decided_at=call.deadline,
            )
        )
    Nomination.objects.bulk_create(rows)
    call.groups_confirmed_at = call.deadline + timedelta(days=7)
    call.save(update_fields=["groups_confirmed_at"])
    LogEntry.objects.create(call=call, action="groups_confirmed", note=f"{len(participants)} people enrolled (demo)")
    waitlisted = sum(1 for row in rows if row.status == S.WAITLISTED)
    declined = sum(1 for row in rows if row.status == S.DECLINED)
    return (
        f"closed call, {len(participants)} accepted, {waitlisted} waitlisted, {declined} declined; "
        f"nominators {', '.join(sorted({u.email for u in nominators.values()}))}"
    )
