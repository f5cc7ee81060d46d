"""Every shipped language is complete: each message the code marks is in the committed catalogue, translated, not
fuzzy, with the same placeholders as the English and every plural form.

The messages are found the way ``makemessages`` finds them, without GNU gettext and in about a second: Python
modules are read with ``ast`` (the gettext family, as makemessages' keywords), templates go through Django's own
``templatize`` (the very function makemessages feeds xgettext with), so ``{% blocktranslate trimmed count %}``
gives the same msgid and plural.

One test per language and area (``templates/live``, ``participants``…), so each translator checks their own part:

    pytest tests/test_translations_complete.py -k "fr and live"
"""

from __future__ import annotations

import ast
import os
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils.translation.template import templatize

ROOT = Path(settings.BASE_DIR)
SHIPPED = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
# As `manage.py makemessages -i .venv -i bench -i 'var/*'` (plus folders that hold no project code).
SKIP_FOLDERS = {".venv", "bench", "var", "node_modules", ".git", "static", "locale", "docs", "deploy"}

# The gettext family as makemessages declares it to xgettext: name -> (context position, singular, plural).
KEYWORDS = {
    "gettext": (None, 0, None),
    "gettext_lazy": (None, 0, None),
    "gettext_noop": (None, 0, None),
    "_": (None, 0, None),
    "ngettext": (None, 0, 1),
    "ngettext_lazy": (None, 0, 1),
    "pgettext": (0, 1, None),
    "pgettext_lazy": (0, 1, None),
    "npgettext": (0, 1, 2),
    "npgettext_lazy": (0, 1, 2),
}
STRING = r"""u?(?:'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")"""
TEMPLATE_CALL = re.compile(rf"(?<![\w.])(gettext|ngettext|pgettext|npgettext|_)\(\s*((?:{STRING}\s*,?\s*)+)")
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdif]|%[sdif]|\{(\w*)\}")


@dataclass(frozen=True)
class Marked:
    context: str | None
    msgid: str
    plural: str | None
    path: str  # relative to the project
    hidden: bool = False  # inside an f-string, where xgettext (so makemessages) does not look

    @property
    def key(self):
        return (self.context or None, self.msgid)


def area_of(path: str) -> str:
    """``templates/live`` for a template of that folder, the app (``participants``) for Python."""
    parts = Path(path).parts
    if parts[0] == "templates" and len(parts) > 2:
        return "/".join(parts[:2])
    if parts[0] == "templates":
        return "templates"
    if len(parts) > 2 and parts[1] == "templates":  # an app's own templates: privacy/templates/...
        return parts[0]
    return parts[0]


def _source_files() -> list[Path]:
    found = []
    for path in sorted(ROOT.rglob("*")):
        relative = path.relative_to(ROOT)
        if path.suffix not in (".py", ".html", ".txt") or not path.is_file():
            continue
        if SKIP_FOLDERS & set(relative.parts) or any(part.startswith(".") for part in relative.parts):
            continue
        if path.suffix == ".txt" and "templates" not in relative.parts:
            continue  # requirements and the like: makemessages reads .txt, but only templates mark anything
        found.append(path)
    return found


def _from_python(path: Path, relative: str) -> list[Marked]:
    found = []
    tree = ast.parse(path.read_text(encoding="utf-8"))
    in_fstrings = {id(inner) for node in ast.walk(tree) if isinstance(node, ast.JoinedStr) for inner in ast.walk(node)}
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
        if name not in KEYWORDS:
            continue
        context_at, singular_at, plural_at = KEYWORDS[name]
        wanted = [i for i in (context_at, singular_at, plural_at) if i is not None]
        if len(node.args) <= max(wanted):
            continue
        values = {}
        for i in wanted:
            arg = node.args[i]
            if not (isinstance(arg, ast.Constant) and isinstance(arg.value, str)):
                break
            values[i] = arg.value
        else:
            if values[singular_at]:
                found.append(
                    Marked(
                        values.get(context_at) if context_at is not None else None,
                        values[singular_at],
                        values.get(plural_at) if plural_at is not None else None,
                        relative,
                        hidden=id(node) in in_fstrings,
                    )
                )
    return found


def _from_template(path: Path, relative: str) -> list[Marked]:
    found = []
    code = templatize(path.read_text(encoding="utf-8"), origin=str(path))
    for match in TEMPLATE_CALL.finditer(code):
        name = match.group(1)
        strings = [ast.literal_eval(s) for s in re.findall(STRING, match.group(2))]
        context = strings.pop(0) if name.startswith(("p", "np")) else None
        if not strings or not strings[0]:
            continue
        found.append(Marked(context, strings[0], strings[1] if name.endswith("ngettext") else None, relative))
    return found


@lru_cache(maxsize=1)
def marked_messages() -> tuple[Marked, ...]:
    """Every message the project's code and templates mark for translation."""
    found: list[Marked] = []
    for path in _source_files():
        relative = str(path.relative_to(ROOT))
        reader = _from_python if path.suffix == ".py" else _from_template
        found.extend(reader(path, relative))
    return tuple(found)


def placeholders(text: str) -> list[str]:
    """``%(name)s``, ``%s`` and ``{name}`` in a message, sorted (``%%`` is a literal percent sign)."""
    return sorted(match.group(0) for match in PLACEHOLDER.finditer(text.replace("%%", "")))


def problems(catalogue: polib.POFile, messages: list[Marked], occurrences_in: str | None = None) -> list[str]:
    """What is wrong with a catalogue for these messages (and, when ``occurrences_in`` is an area, with the
    catalogue's own entries of that area): missing, untranslated, fuzzy, placeholders changed, plural forms lacking."""
    nplurals = _nplurals(catalogue)
    entries = {(entry.msgctxt or None, entry.msgid): entry for entry in catalogue if not entry.obsolete}
    found = []
    for message in messages:
        entry = entries.get(message.key)
        if message.hidden:
            found.append(f"marked inside an f-string, makemessages cannot see it: {message.msgid!r} ({message.path})")
        elif entry is None:
            found.append(f"missing: {message.msgid!r} ({message.path})")
        elif message.plural and not entry.msgid_plural:
            found.append(f"not a plural entry: {message.msgid!r} ({message.path})")
    checked = {message.key for message in messages}
    for key, entry in entries.items():
        in_area = occurrences_in is not None and any(area_of(p) == occurrences_in for p, _line in entry.occurrences)
        if key in checked or in_area:
            found.extend(_entry_problems(entry, nplurals))
    return sorted(set(found))


def _nplurals(catalogue: polib.POFile) -> int:
    match = re.search(r"nplurals\s*=\s*(\d+)", catalogue.metadata.get("Plural-Forms", ""))
    return int(match.group(1)) if match else 2


def _entry_problems(entry: polib.POEntry, nplurals: int) -> list[str]:
    found = []
    if "fuzzy" in entry.flags:
        found.append(f"fuzzy: {entry.msgid!r}")
    elif entry.previous_msgid_plural and not entry.previous_msgid:
        # A "#| msgid_plural" left over from a fuzzy guess: GNU gettext (makemessages) refuses the whole file.
        found.append(f"left-over previous msgid: {entry.msgid!r}")
    if entry.msgid_plural:
        forms = [entry.msgstr_plural.get(i, "") for i in range(nplurals)]
        if not all(forms):
            found.append(f"plural forms missing ({nplurals} needed): {entry.msgid!r}")
        for form in filter(None, forms):
            # A form may leave the count out ("une séance"), never invent or rename a placeholder.
            if not set(placeholders(form)) <= set(placeholders(entry.msgid)) | set(placeholders(entry.msgid_plural)):
                found.append(f"placeholders differ: {entry.msgid!r} -> {form!r}")
    elif not entry.msgstr:
        found.append(f"untranslated: {entry.msgid!r}")
    elif placeholders(entry.msgstr) != placeholders(entry.msgid):
        found.append(f"placeholders differ: {entry.msgid!r} -> {entry.msgstr!r}")
    return found


def catalogue(language: str) -> polib.POFile:
    return polib.pofile(str(ROOT / "locale" / language / "LC_MESSAGES" / "django.po"))


def by_area() -> dict[str, list[Marked]]:
    areas: dict[str, list[Marked]] = defaultdict(list)
    for message in marked_messages():
        areas[area_of(message.path)].append(message)
    wanted = [a.strip() for a in os.environ.get("TRANSLATION_AREAS", "").split(",") if a.strip()]
    return {area: found for area, found in sorted(areas.items()) if not wanted or area in wanted}


@pytest.mark.parametrize("language", SHIPPED)
@pytest.mark.parametrize("area", list(by_area()))
def test_shipped_language_translates_every_marked_message(language, area):
    found = problems(catalogue(language), by_area()[area], occurrences_in=area)
    report = f"locale/{language}/LC_MESSAGES/django.po, {area}:\n" + "\n".join(found[:200])
    assert not found, report


# The checker itself, on a catalogue made here.


def _catalogue(*entries: polib.POEntry) -> polib.POFile:
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Plural-Forms": "nplurals=3; plural=(n != 1);"}
    for entry in entries:
        po.append(entry)
    return po


def test_checker_reports_missing_untranslated_fuzzy_and_changed_placeholders():
    messages = [
        Marked(None, "Missing", None, "x.py"),
        Marked(None, "Empty", None, "x.py"),
        Marked(None, "Unsure", None, "x.py"),
        Marked(None, "Hello %(name)s", None, "x.py"),
        Marked(None, "Hi {name}", None, "x.py"),
        Marked("menu", "Open", None, "x.py"),
        Marked(None, "Fine %(n)s", None, "x.py"),
    ]
    po = _catalogue(
        polib.POEntry(msgid="Empty", msgstr=""),
        polib.POEntry(msgid="Unsure", msgstr="Peut-être", flags=["fuzzy"]),
        polib.POEntry(msgid="Hello %(name)s", msgstr="Bonjour %(nom)s"),
        polib.POEntry(msgid="Hi {name}", msgstr="Salut"),
        polib.POEntry(msgid="Open", msgstr="Ouvrir"),  # no context: not the "menu" one
        polib.POEntry(msgid="Fine %(n)s", msgstr="Bien %(n)s"),
        polib.POEntry(msgid="Rooms", msgstr="Salles", previous_msgid_plural="Your rooms"),
    )
    messages.append(Marked(None, "Rooms", None, "x.py"))
    assert problems(po, messages) == [
        "fuzzy: 'Unsure'",
        "left-over previous msgid: 'Rooms'",
        "missing: 'Missing' (x.py)",
        "missing: 'Open' (x.py)",
        "placeholders differ: 'Hello %(name)s' -> 'Bonjour %(nom)s'",
        "placeholders differ: 'Hi {name}' -> 'Salut'",
        "untranslated: 'Empty'",
    ]


def test_checker_wants_every_plural_form_of_the_language():
    messages = [Marked(None, "%(n)s day", "%(n)s days", "x.py"), Marked(None, "one file", "files", "x.py")]
    po = _catalogue(
        polib.POEntry(msgid="%(n)s day", msgid_plural="%(n)s days", msgstr_plural={0: "%(n)s jour", 1: "%(n)s jours"}),
        polib.POEntry(msgid="one file", msgstr="un fichier"),
    )
    assert problems(po, messages) == [
        "not a plural entry: 'one file' (x.py)",
        "plural forms missing (3 needed): '%(n)s day'",
    ]


def test_marked_messages_are_read_from_python_and_templates_as_makemessages_does(tmp_path):
    module = tmp_path / "m.py"
    module.write_text(
        "from django.utils.translation import gettext as _, ngettext, pgettext_lazy\n"
        "_('Plain')\nngettext('%(n)s item', '%(n)s items', 2)\npgettext_lazy('verb', 'Open')\n_(name)\n"
        "f'{_(\"Hidden\")}'\n"
    )
    template = tmp_path / "t.html"
    template.write_text(
        "{% load i18n %}<p>{% translate 'Hello' context 'greeting' %}</p>\n"
        "{% blocktranslate trimmed count n=items|length %}\n  {{ n }} item\n{% plural %}\n  {{ n }} items\n"
        "{% endblocktranslate %}{% blocktranslate with who=user.name %}Hi {{ who }}{% endblocktranslate %}"
        "{{ title|default:_('Untitled') }}"
    )
    assert {(m.context, m.msgid, m.plural) for m in _from_python(module, "m.py")} == {
        (None, "Plain", None),
        (None, "%(n)s item", "%(n)s items"),
        ("verb", "Open", None),
        (None, "Hidden", None),
    }
    assert [m.msgid for m in _from_python(module, "m.py") if m.hidden] == ["Hidden"]
    assert {(m.context, m.msgid, m.plural) for m in _from_template(template, "t.html")} == {
        ("greeting", "Hello", None),
        (None, "%(n)s item", "%(n)s items"),
        (None, "Hi %(who)s", None),
        (None, "Untitled", None),
    }


def test_every_area_is_named_for_its_folder():
    assert area_of("templates/live/board.html") == "templates/live"
    assert area_of("templates/base.html") == "templates"
    assert area_of("privacy/templates/privacy/admin/erase_confirmation.html") == "privacy"
    assert area_of("participants/admin.py") == "participants"
