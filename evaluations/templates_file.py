"""Evaluation templates as a file: the defaults shipped with the portal, or an organizer's own set.

The same loader runs in the data migration (with historical models) and in ``load_evaluation_templates``, so a
fresh installation and an existing one end up with the same templates.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

DEFAULT_TEMPLATES_FILE = Path(__file__).resolve().parent / "data" / "default_templates.yaml"

KINDS = {"session", "course"}
QUESTION_KINDS = {"rating", "single", "multiple", "text"}


class TemplatesFileError(ValueError):
    """A problem in a templates file, named by its place, e.g. ``templates[0].sections[1].questions[2].kind``."""


@dataclass
class LoadResult:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    def summary(self) -> str:
        parts = []
        for label, names in (("created", self.created), ("updated", self.updated), ("kept", self.unchanged)):
            if names:
                parts.append(f"{label} {', '.join(names)}")
        return "; ".join(parts) or "no templates in the file"


def _text(row: dict, name: str, where: str, *, required=True, max_length=None) -> str:
    value = row.get(name, "")
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise TemplatesFileError(f"{where}.{name}: expected text, got {value!r}.")
    value = value.strip()
    if required and not value:
        raise TemplatesFileError(f"{where}.{name}: required.")
    if max_length and len(value) > max_length:
        raise TemplatesFileError(f"{where}.{name}: at most {max_length} characters.")
    return value


def _text_list(row: dict, name: str, where: str) -> list[str]:
    values = row.get(name) or []
    if not isinstance(values, list) or not all(isinstance(v, str) and v.strip() for v in values):
        raise TemplatesFileError(f"{where}.{name}: expected a list of texts (quote options such as “Yes” and “No”).")
    return [v.strip() for v in values]


def _bool(row: dict, name: str, where: str, default: bool) -> bool:
    value = row.get(name, default)
    if not isinstance(value, bool):
        raise TemplatesFileError(f"{where}.{name}: expected true or false.")
    return value


def _translations(model_name: str, row: dict, where: str, *, lists: dict | None = None) -> dict:
    """A row's ``translations:`` (``{fr: {text: …}}``), bounded like the programme and instrument files': only
    configured languages, only the model's translatable fields, texts cleaned and no longer than the original's.
    A question's ``choices`` and ``labels`` are lists with one label per original option: answers are stored by
    the original option, so every language's answers stay comparable."""
    from django.apps import apps
    from django.core.exceptions import ValidationError

    from common.translations import translations_from_file

    value = row.get("translations")
    if value in (None, "", {}):
        return {}
    if not isinstance(value, dict):
        raise TemplatesFileError(f"{where}.translations: expected languages, e.g. {{fr: {{text: …}}}}.")
    renamed = {}
    for language, texts in value.items():
        if isinstance(texts, dict):
            texts = {("scale_labels" if name == "labels" else name): text for name, text in texts.items()}
            for name, originals in (lists or {}).items():
                if name in texts and (not isinstance(texts[name], list) or len(texts[name]) != len(originals)):
                    shown = "labels" if name == "scale_labels" else name
                    raise TemplatesFileError(
                        f"{where}.translations.{language}.{shown}: expected a list of {len(originals)} texts, "
                        "one per original, in the same order."
                    )
        renamed[language] = texts
    try:
        return translations_from_file(apps.get_model("evaluations", model_name), renamed)
    except ValidationError as exc:
        raise TemplatesFileError(f"{where}.translations: {' '.join(exc.messages)}") from exc


def parse_templates(text: str) -> list[dict]:
    """Read and check a templates file; returns normalized rows or raises TemplatesFileError."""
    from .models import validate_question_options

    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise TemplatesFileError(f"Not a readable YAML file: {exc}") from exc
    if not isinstance(document, dict) or not isinstance(document.get("templates"), list):
        raise TemplatesFileError("The file needs a list called “templates”.")
    rows, keys = [], set()
    for t_index, raw in enumerate(document["templates"]):
        where = f"templates[{t_index}]"
        if not isinstance(raw, dict):
            raise TemplatesFileError(f"{where}: expected a template.")
        key = _text(raw, "key", where, max_length=50)
        if key in keys:
            raise TemplatesFileError(f"{where}.key: “{key}” is used twice.")
        keys.add(key)
        kind = raw.get("kind", "session")
        if kind not in KINDS:
            raise TemplatesFileError(f"{where}.kind: “{kind}” is not one of {', '.join(sorted(KINDS))}.")
        open_days = raw.get("open_days", None)
        if open_days is not None and (not isinstance(open_days, int) or open_days < 1):
            raise TemplatesFileError(f"{where}.open_days: expected a whole number of days, at least 1.")
        sections, question_keys = [], set()
        for s_index, raw_section in enumerate(raw.get("sections") or []):
            s_where = f"{where}.sections[{s_index}]"
            if not isinstance(raw_section, dict):
                raise TemplatesFileError(f"{s_where}: expected a section.")
            questions = []
            for q_index, raw_question in enumerate(raw_section.get("questions") or []):
                q_where = f"{s_where}.questions[{q_index}]"
                if not isinstance(raw_question, dict):
                    raise TemplatesFileError(f"{q_where}: expected a question.")
                q_key = _text(raw_question, "key", q_where, max_length=60)
                if q_key in question_keys:
                    raise TemplatesFileError(f"{q_where}.key: “{q_key}” is used twice in this template.")
                question_keys.add(q_key)
                q_kind = raw_question.get("kind", "rating")
                if q_kind not in QUESTION_KINDS:
                    raise TemplatesFileError(
                        f"{q_where}.kind: “{q_kind}” is not one of {', '.join(sorted(QUESTION_KINDS))}."
                    )
                choices = _text_list(raw_question, "choices", q_where)
                labels = _text_list(raw_question, "labels", q_where)
                errors = validate_question_options(q_kind, choices, labels)
                if errors:
                    name, message = next(iter(errors.items()))
                    name = "labels" if name == "scale_labels" else name
                    raise TemplatesFileError(f"{q_where}.{name}: {message}")
                questions.append(
                    {
                        "key": q_key,
                        "text": _text(raw_question, "text", q_where, max_length=300),
                        "help_text": _text(raw_question, "help_text", q_where, required=False, max_length=300),
                        "kind": q_kind,
                        "required": _bool(raw_question, "required", q_where, True),
                        "choices": choices,
                        "labels": labels,
                        "translations": _translations(
                            "TemplateQuestion",
                            raw_question,
                            q_where,
                            lists={"choices": choices, "scale_labels": labels},
                        ),
                    }
                )
            if not questions:
                raise TemplatesFileError(f"{s_where}: a section needs at least one question.")
            sections.append(
                {
                    "title": _text(raw_section, "title", s_where, max_length=200),
                    "intro": _text(raw_section, "intro", s_where, required=False),
                    "questions": questions,
                    "translations": _translations("TemplateSection", raw_section, s_where),
                }
            )
        if not sections:
            raise TemplatesFileError(f"{where}: a template needs at least one section.")
        rows.append(
            {
                "key": key,
                "name": _text(raw, "name", where, max_length=200),
                "kind": kind,
                "default": _bool(raw, "default", where, False),
                "anonymous": _bool(raw, "anonymous", where, True),
                "open_days": open_days,
                "intro": _text(raw, "intro", where, required=False),
                "sections": sections,
                "translations": _translations("EvaluationTemplate", raw, where),
            }
        )
    return rows


def load_templates(rows: list[dict], *, update: bool = False, apps=None) -> LoadResult:
    """Create the templates that do not exist yet (by key); with ``update``, rewrite existing ones from the file.

    Without ``update`` a template an organizer has edited is left alone. ``apps`` is the migration's app registry.
    """
    from django.conf import settings

    if apps is None:
        from django.apps import apps as live_apps

        apps = live_apps

    Template = apps.get_model("evaluations", "EvaluationTemplate")
    Section = apps.get_model("evaluations", "TemplateSection")
    Question = apps.get_model("evaluations", "TemplateQuestion")
    # The first data migration runs before the translations columns exist.
    translated = {"translations"} & {f.name for f in Template._meta.get_fields()}

    def with_translations(values: dict, row: dict) -> dict:
        return {**values, "translations": row.get("translations") or {}} if translated else values

    result = LoadResult()
    for row in rows:
        template = Template.objects.filter(key=row["key"]).first()
        if template is not None and not update:
            result.unchanged.append(row["key"])
            continue
        other_default = Template.objects.filter(kind=row["kind"], is_default=True).exclude(key=row["key"]).exists()
        values = with_translations(
            {
                "name": row["name"],
                "kind": row["kind"],
                # Never take the default away from a template an organizer chose.
                "is_default": row["default"] and not other_default,
                "is_anonymous": row["anonymous"],
                "intro": row["intro"],
                "open_days": row["open_days"] or settings.EVALUATIONS_OPEN_DAYS,
            },
            row,
        )
        if template is None:
            template = Template.objects.create(key=row["key"], **values)
            result.created.append(row["key"])
        else:
            for name, value in values.items():
                setattr(template, name, value)
            template.save()
            template.sections.all().delete()
            result.updated.append(row["key"])
        for s_order, section_row in enumerate(row["sections"]):
            section = Section.objects.create(
                template=template,
                order=s_order,
                **with_translations({"title": section_row["title"], "intro": section_row["intro"]}, section_row),
            )
            Question.objects.bulk_create(
                Question(
                    template=template,
                    section=section,
                    order=q_order,
                    key=q["key"],
                    kind=q["kind"],
                    required=q["required"],
                    **with_translations(
                        {
                            "text": q["text"],
                            "help_text": q["help_text"],
                            "choices": "\n".join(q["choices"]),
                            "scale_labels": "\n".join(q["labels"]),
                        },
                        q,
                    ),
                )
                for q_order, q in enumerate(section_row["questions"])
            )
    return result


def load_default_templates(*, update: bool = False, apps=None) -> LoadResult:
    return load_templates(parse_templates(DEFAULT_TEMPLATES_FILE.read_text(encoding="utf-8")), update=update, apps=apps)


def default_templates_after_migrate(using="default", **kwargs):
    """After migrate or flush: the shipped default templates are there (an existing key is left alone)."""
    from .models import EvaluationTemplate

    if not EvaluationTemplate.objects.using(using).exists():
        load_default_templates()
    else:
        add_default_translations(using)


def add_default_translations(using="default") -> int:
    """An installation made before the shipped templates carried translations gets them, but only on templates,
    sections and questions that have none and whose original text is still the file's (an organizer's edits and
    translations are left alone). Returns how many rows received translations."""
    from .models import EvaluationTemplate, TemplateQuestion, TemplateSection

    changed = 0
    for row in parse_templates(DEFAULT_TEMPLATES_FILE.read_text(encoding="utf-8")):
        template = EvaluationTemplate.objects.using(using).filter(key=row["key"]).first()
        if template is None:
            continue
        pairs = [(EvaluationTemplate, template, row, "name")]
        sections = {section.order: section for section in template.sections.all()}
        questions = {question.key: question for question in TemplateQuestion.objects.filter(template=template)}
        for s_order, section_row in enumerate(row["sections"]):
            if s_order in sections:
                pairs.append((TemplateSection, sections[s_order], section_row, "title"))
            for q in section_row["questions"]:
                if q["key"] in questions:
                    pairs.append((TemplateQuestion, questions[q["key"]], q, "text"))
        for model, obj, file_row, field_name in pairs:
            if obj.translations or not file_row.get("translations") or getattr(obj, field_name) != file_row[field_name]:
                continue
            model.objects.using(using).filter(pk=obj.pk).update(translations=file_row["translations"])
            changed += 1
    return changed
