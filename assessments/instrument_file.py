"""Instrument files: a questionnaire as a YAML document (see instruments/dtca-default.yaml).

Parsing checks the whole document and names the first problem by its place in
the file (``dimensions[2].statements[0]: …``), so a bad file loads nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.utils.text import slugify
from django.utils.translation import gettext as _

from .models import SCALE_MAX, SCALE_MIN

INSTRUMENTS_DIR = Path(__file__).resolve().parent / "instruments"
DEFAULT_INSTRUMENT_FILE = INSTRUMENTS_DIR / "dtca-default.yaml"
DEFAULT_INSTRUMENT_KEY = "dtca"


class InstrumentFileError(ValueError):
    pass


@dataclass(frozen=True)
class DimensionSpec:
    name: str
    description: str
    statements: tuple[str, ...]


@dataclass(frozen=True)
class InstrumentSpec:
    key: str
    version: int
    name: str
    adapted_from: str
    introduction: str
    dont_know_label: str
    scale: tuple[tuple[int, str, str], ...]  # (value, label, description)
    dimensions: tuple[DimensionSpec, ...] = field(default_factory=tuple)


def _text(data: dict, name: str, where: str, *, required: bool = True, max_length: int | None = None) -> str:
    value = data.get(name)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise InstrumentFileError(_("%(where)s: “%(name)s” is required.") % {"where": where, "name": name})
        return ""
    if not isinstance(value, str | int | float):
        raise InstrumentFileError(_("%(where)s: “%(name)s” must be text.") % {"where": where, "name": name})
    text = " ".join(str(value).split()) if max_length else str(value).strip()
    if max_length and len(text) > max_length:
        raise InstrumentFileError(
            _("%(where)s: “%(name)s” is longer than %(max)s characters.")
            % {"where": where, "name": name, "max": max_length}
        )
    return text


def parse_instrument(text: str) -> InstrumentSpec:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise InstrumentFileError(_("The file is not valid YAML: %(error)s") % {"error": exc}) from exc
    if not isinstance(data, dict):
        raise InstrumentFileError(_("The file must be a mapping with key, version, name, scale and dimensions."))
    key = slugify(_text(data, "key", "instrument", max_length=60))
    version = data.get("version", 1)
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise InstrumentFileError(_("instrument: “version” must be a whole number from 1."))

    scale_rows = data.get("scale")
    if not isinstance(scale_rows, list):
        raise InstrumentFileError(_("instrument: “scale” must list the levels 1 to 5."))
    scale = []
    for index, row in enumerate(scale_rows):
        where = f"scale[{index}]"
        if not isinstance(row, dict):
            raise InstrumentFileError(_("%(where)s: each level needs value and label.") % {"where": where})
        value = row.get("value")
        if not isinstance(value, int) or not SCALE_MIN <= value <= SCALE_MAX:
            raise InstrumentFileError(
                _("%(where)s: “value” must be a whole number from %(min)s to %(max)s.")
                % {"where": where, "min": SCALE_MIN, "max": SCALE_MAX}
            )
        scale.append(
            (value, _text(row, "label", where, max_length=80), _text(row, "description", where, required=False))
        )
    values = sorted(level[0] for level in scale)
    if values != list(range(SCALE_MIN, SCALE_MAX + 1)):
        raise InstrumentFileError(
            _("scale: give each level from %(min)s to %(max)s exactly once.") % {"min": SCALE_MIN, "max": SCALE_MAX}
        )

    dimension_rows = data.get("dimensions")
    if not isinstance(dimension_rows, list) or not dimension_rows:
        raise InstrumentFileError(_("instrument: “dimensions” must list at least one dimension."))
    dimensions = []
    names = set()
    for index, row in enumerate(dimension_rows):
        where = f"dimensions[{index}]"
        if not isinstance(row, dict):
            raise InstrumentFileError(_("%(where)s: each dimension needs a name and statements.") % {"where": where})
        name = _text(row, "name", where, max_length=120)
        if name.lower() in names:
            raise InstrumentFileError(
                _("%(where)s: the dimension “%(name)s” appears twice.") % {"where": where, "name": name}
            )
        names.add(name.lower())
        statements = row.get("statements")
        if not isinstance(statements, list) or not statements:
            raise InstrumentFileError(_("%(where)s: “statements” must list at least one statement.") % {"where": where})
        texts = []
        for position, statement in enumerate(statements):
            if not isinstance(statement, str) or not statement.strip():
                raise InstrumentFileError(
                    _("%(where)s.statements[%(position)s]: a statement must be non-empty text.")
                    % {"where": where, "position": position}
                )
            texts.append(" ".join(statement.split()))
        dimensions.append(
            DimensionSpec(
                name=name, description=_text(row, "description", where, required=False), statements=tuple(texts)
            )
        )
    return InstrumentSpec(
        key=key,
        version=version,
        name=_text(data, "name", "instrument", max_length=200),
        adapted_from=_text(data, "adapted_from", "instrument", required=False),
        introduction=_text(data, "introduction", "instrument", required=False),
        dont_know_label=_text(data, "dont_know_label", "instrument", required=False, max_length=60) or "Don't know",
        scale=tuple(sorted(scale)),
        dimensions=tuple(dimensions),
    )


def read_instrument_file(path: Path | str) -> InstrumentSpec:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InstrumentFileError(_("Cannot read %(path)s: %(error)s") % {"path": path, "error": exc}) from exc
    return parse_instrument(text)


def write_instrument(spec: InstrumentSpec, *, Instrument, ScaleLevel, Dimension, Statement):  # noqa: N803
    """Create the instrument version the spec describes, or make an unanswered one match it.

    Takes the model classes so the data migration can pass its historical models.
    The caller checks that an existing version has no answers before calling.
    Returns (instrument, changed).
    """
    instrument = Instrument.objects.filter(key=spec.key, version=spec.version).first()
    created = instrument is None
    if created:
        previous = Instrument.objects.filter(key=spec.key, version__lt=spec.version).order_by("-version").first()
        instrument = Instrument(key=spec.key, version=spec.version, previous_version=previous)
    header = {
        "name": spec.name,
        "adapted_from": spec.adapted_from,
        "introduction": spec.introduction,
        "dont_know_label": spec.dont_know_label,
    }
    changed = created or any(getattr(instrument, name) != value for name, value in header.items())
    if changed:
        for name, value in header.items():
            setattr(instrument, name, value)
        instrument.save()

    stored_scale = list(ScaleLevel.objects.filter(instrument=instrument).order_by("value"))
    if [(s.value, s.label, s.description) for s in stored_scale] != list(spec.scale):
        ScaleLevel.objects.filter(instrument=instrument).delete()
        ScaleLevel.objects.bulk_create(
            ScaleLevel(instrument=instrument, value=value, label=label, description=description)
            for value, label, description in spec.scale
        )
        changed = True

    stored = [
        (d.name, d.description, tuple(s.text for s in Statement.objects.filter(dimension=d).order_by("order")))
        for d in Dimension.objects.filter(instrument=instrument).order_by("order")
    ]
    wanted = [(d.name, d.description, d.statements) for d in spec.dimensions]
    if stored != wanted:
        Dimension.objects.filter(instrument=instrument).delete()
        for order, dimension_spec in enumerate(spec.dimensions, start=1):
            dimension = Dimension.objects.create(
                instrument=instrument,
                order=order,
                name=dimension_spec.name,
                description=dimension_spec.description,
            )
            Statement.objects.bulk_create(
                Statement(dimension=dimension, order=position, text=text)
                for position, text in enumerate(dimension_spec.statements, start=1)
            )
        changed = True
    return instrument, changed


def default_instrument_after_migrate(using="default", **kwargs):
    """After migrate or flush: the shipped default instrument is there (loaded again only when missing)."""
    from .models import Dimension, Instrument, ScaleLevel, Statement

    spec = read_instrument_file(DEFAULT_INSTRUMENT_FILE)
    if not Instrument.objects.using(using).filter(key=spec.key, version=spec.version).exists():
        write_instrument(spec, Instrument=Instrument, ScaleLevel=ScaleLevel, Dimension=Dimension, Statement=Statement)
