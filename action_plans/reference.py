"""The reference data this app ships: SDGs, principles of effective governance, qualities of public service.

The files under ``reference/`` are the source. The data migration loads them on a fresh install and
``manage.py load_reference_data`` brings an existing one up to date; both match rows by their natural key
(SDG number, principle name, quality key), so running either again changes nothing.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

REFERENCE_DIR = Path(__file__).resolve().parent / "reference"


def _read(name: str) -> dict:
    return yaml.safe_load((REFERENCE_DIR / name).read_text(encoding="utf-8"))


def _translations(model, row: dict) -> dict:
    """``{"translations": …}`` for a model that has the field (the migration that loads the data first runs
    before the field exists), checked like any translation."""
    if not any(field.name == "translations" for field in model._meta.get_fields()):
        return {}
    from common.translations import clean_translations

    texts = {
        language: {name: " ".join(str(text).split()) for name, text in (entry or {}).items()}
        for language, entry in (row.get("translations") or {}).items()
    }
    return {"translations": clean_translations(model, texts)}


def load_reference_data(Sdg=None, GovernancePrinciple=None, ServiceQuality=None) -> dict[str, int]:  # noqa: N803
    """Create or update every reference row; takes the models so the data migration can pass its historical ones.

    Returns how many rows of each kind were created.
    """
    if Sdg is None:
        from .models import GovernancePrinciple, Sdg, ServiceQuality
    created = {"sdgs": 0, "principles": 0, "qualities": 0}
    for goal in _read("sdgs.yaml")["goals"]:
        _, was_created = Sdg.objects.update_or_create(
            number=goal["number"],
            defaults={
                "short_name": goal["short_name"],
                "title": " ".join(goal["title"].split()),
                "colour": goal["colour"],
                **_translations(Sdg, goal),
            },
        )
        created["sdgs"] += was_created
    order = 0
    for group in _read("governance_principles.yaml")["groups"]:
        for principle in group["principles"]:
            order += 1
            _, was_created = GovernancePrinciple.objects.update_or_create(
                name=principle["name"],
                defaults={
                    "group": group["key"],
                    "order": order,
                    "description": " ".join(principle.get("description", "").split()),
                    **_translations(GovernancePrinciple, principle),
                },
            )
            created["principles"] += was_created
    for order, quality in enumerate(_read("service_qualities.yaml")["qualities"], start=1):
        _, was_created = ServiceQuality.objects.update_or_create(
            key=quality["key"],
            defaults={"name": quality["name"], "description": quality.get("description", ""), "order": order},
        )
        created["qualities"] += was_created
    return created


@cache
def principles_source() -> dict[str, str]:
    """Where the principles come from, for the pages that show them."""
    data = _read("governance_principles.yaml")
    return {"source": " ".join(data.get("source", "").split()), "url": data.get("url", "")}


def reference_data_after_migrate(using="default", **kwargs):
    """After migrate or flush: the SDGs, principles and qualities are there (loaded again only when missing)."""
    from .models import Sdg

    if not Sdg.objects.using(using).exists():
        load_reference_data()
