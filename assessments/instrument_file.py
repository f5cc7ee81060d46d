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
    # Translations (``{"fr": {"name": …}}``); not part of what respondents answered, so a frozen version may
    # still receive them.
    translations: dict = field(default_factory=dict, compare=False)
    statement_translations: tuple[dict, ...] = field(default_factory=tuple, compare=False)


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
    translations: dict = field(default_factory=dict, compare=False)
    scale_translations: tuple[dict, ...] = field(default_factory=tuple, compare=False)  # in scale order


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


def _translations(model_name: str, row: dict, where: str) -> dict:
    """A row's ``translations:``: configured languages, translatable fields, bounded texts."""
    from django.apps import apps
    from django.core.exceptions import ValidationError

    from common.translations import translations_from_file

    try:
        return translations_from_file(apps.get_model("assessments", model_name), row.get("translations"))
    except ValidationError as exc:
        raise InstrumentFileError(f"{where}.translations: {' '.join(exc.messages)}") from exc


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
    scale_translations: dict[int, dict] = {}
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
        scale_translations[value] = _translations("ScaleLevel", row, where)
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
        statement_translations = []
        for position, statement in enumerate(statements):
            here = f"{where}.statements[{position}]"
            translations = {}
            if isinstance(statement, dict):  # {text: …, translations: {fr: {text: …}}}
                translations = _translations("Statement", statement, here)
                statement = statement.get("text")
            if not isinstance(statement, str) or not statement.strip():
                raise InstrumentFileError(
                    _("%(where)s.statements[%(position)s]: a statement must be non-empty text.")
                    % {"where": where, "position": position}
                )
            texts.append(" ".join(statement.split()))
            statement_translations.append(translations)
        dimensions.append(
            DimensionSpec(
                name=name,
                description=_text(row, "description", where, required=False),
                statements=tuple(texts),
                translations=_translations("Dimension", row, where),
                statement_translations=tuple(statement_translations),
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
        translations=_translations("Instrument", data, "instrument"),
        scale_translations=tuple(scale_translations[value] for value, _label, _description in sorted(scale)),
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
    changed = write_translations(spec, instrument, ScaleLevel, Dimension, Statement) or changed
    return instrument, changed


def write_translations(spec: InstrumentSpec, instrument, ScaleLevel, Dimension, Statement) -> bool:  # noqa: N803
    """Bring the translations of an instrument whose texts match the spec up to date, rows kept in place (so a
    version already answered can still be translated: the statements people answered do not change).
    Returns whether anything changed."""
    Instrument = type(instrument)  # noqa: N806
    if not any(field.name == "translations" for field in Instrument._meta.get_fields()):
        return False  # the data migration that loads the first instrument runs before translations exist
    changed = False
    translations = spec.translations or {}
    if (instrument.translations or {}) != translations:
        Instrument.objects.filter(pk=instrument.pk).update(translations=translations)
        instrument.translations = translations
        changed = True
    levels = {level.value: level for level in ScaleLevel.objects.filter(instrument=instrument)}
    for (value, _label, _description), wanted in zip(spec.scale, spec.scale_translations or (), strict=False):
        level = levels.get(value)
        if level is not None and (level.translations or {}) != wanted:
            ScaleLevel.objects.filter(pk=level.pk).update(translations=wanted)
            changed = True
    dimensions = list(Dimension.objects.filter(instrument=instrument).order_by("order"))
    for dimension, dimension_spec in zip(dimensions, spec.dimensions, strict=False):
        if (dimension.translations or {}) != dimension_spec.translations:
            Dimension.objects.filter(pk=dimension.pk).update(translations=dimension_spec.translations)
            changed = True
        statements = Statement.objects.filter(dimension=dimension).order_by("order")
        for statement, wanted in zip(statements, dimension_spec.statement_translations, strict=False):
            if (statement.translations or {}) != wanted:
                Statement.objects.filter(pk=statement.pk).update(translations=wanted)
                changed = True
    return changed


def export_instrument(instrument) -> dict:
    """The instrument version as a document that ``parse_instrument`` reads back to the same questionnaire,
    translations included."""
    from common.translations import translations_export

    from .selectors import instrument_structure

    structure = instrument_structure(instrument)

    def with_translations(row: dict, obj) -> dict:
        data = translations_export(obj)
        return {**row, "translations": data} if data else row

    def statement_row(statement):
        data = translations_export(statement)
        return {"text": statement.text, "translations": data} if data else statement.text

    return with_translations(
        {
            "key": instrument.key,
            "version": instrument.version,
            "name": instrument.name,
            "adapted_from": instrument.adapted_from,
            "introduction": instrument.introduction,
            "dont_know_label": instrument.dont_know_label,
            "scale": [
                with_translations({"value": s.value, "label": s.label, "description": s.description}, s)
                for s in structure.scale
            ],
            "dimensions": [
                with_translations(
                    {
                        "name": d.name,
                        "description": d.description,
                        "statements": [statement_row(s) for s in d.statement_list],
                    },
                    d,
                )
                for d in structure.dimensions
            ],
        },
        instrument,
    )


def dump_instrument(instrument) -> str:
    return yaml.safe_dump(export_instrument(instrument), allow_unicode=True, sort_keys=False, width=110)


def _has_statement_translations(instrument, Statement, using) -> bool:  # noqa: N803
    return Statement.objects.using(using).filter(dimension__instrument=instrument).exclude(translations={}).exists()


def default_instrument_after_migrate(using="default", **kwargs):
    """After migrate or flush: the shipped default instrument is there (loaded again only when missing)."""
    from .models import Dimension, Instrument, ScaleLevel, Statement

    spec = read_instrument_file(DEFAULT_INSTRUMENT_FILE)
    existing = Instrument.objects.using(using).filter(key=spec.key, version=spec.version).first()
    if existing is None:
        write_instrument(spec, Instrument=Instrument, ScaleLevel=ScaleLevel, Dimension=Dimension, Statement=Statement)
    elif not existing.translations or not _has_statement_translations(existing, Statement, using):
        # The shipped translations reach an installed (maybe answered) version whose texts do not change;
        # once it has them, they are the organizers' (admin) and load_instrument's to change. An install made
        # before the statements were translated (names and scale only) gets the whole shipped set once.
        write_translations(spec, existing, ScaleLevel, Dimension, Statement)
