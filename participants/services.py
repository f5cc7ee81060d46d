"""Functions that change people's records."""

from .models import User


def update_profile(user: User, *, first_name: str, last_name: str, timezone: str) -> User:
    user.first_name = first_name
    user.last_name = last_name
    user.timezone = timezone
    user.full_clean(exclude=["password"])
    user.save(update_fields=["first_name", "last_name", "timezone"])
    return user


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
    return user


def enroll(user: User, *, cohort, country, institution: str = "", position: str = ""):
    from .models import Participant

    participant, _ = Participant.objects.update_or_create(
        user=user,
        cohort=cohort,
        defaults={"country": country, "institution": institution, "position": position, "is_active": True},
    )
    return participant
