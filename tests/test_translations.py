"""The shipped translations: complete, not fuzzy, placeholders intact, compiled by the project's own set-up."""

import ast
import re
from pathlib import Path

import polib
import pytest
from django.conf import settings

from common import build_messages

ROOT = Path(settings.BASE_DIR)
SHIPPED = [code for code, _name in settings.LANGUAGES if code != "en"]
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def catalogue(language: str) -> polib.POFile:
    return polib.pofile(str(ROOT / "locale" / language / "LC_MESSAGES" / "django.po"))


def common_entries(language: str) -> list[polib.POEntry]:
    return [e for e in catalogue(language) if any(path.startswith("common/") for path, _ in e.occurrences)]


def marked_in(path: Path) -> set[tuple[str | None, str]]:
    """(context, message) of every gettext/pgettext call with literal arguments in a module."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            args = [a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
            if node.func.id in ("gettext", "_", "gettext_lazy") and len(args) == 1:
                found.add((None, args[0]))
            elif node.func.id == "pgettext" and len(args) == 2:
                found.add((args[0], args[1]))
    return found


@pytest.mark.parametrize("language", SHIPPED)
def test_every_shared_message_is_translated_and_not_fuzzy(language):
    entries = common_entries(language)
    assert entries
    untranslated = [e.msgid for e in entries if not e.translated()]
    fuzzy = [e.msgid for e in entries if "fuzzy" in e.flags]
    assert not untranslated and not fuzzy, f"{language}: untranslated {untranslated}, fuzzy {fuzzy}"
    for entry in entries:
        assert set(PLACEHOLDER.findall(entry.msgid)) == set(PLACEHOLDER.findall(entry.msgstr)), entry.msgid


@pytest.mark.parametrize("language", SHIPPED)
def test_every_message_of_timefmt_is_in_the_catalogue(language):
    shipped = {(e.msgctxt, e.msgid) for e in catalogue(language)}
    missing = marked_in(ROOT / "common" / "timefmt.py") - shipped
    assert not missing, f"add to locale/{language}/LC_MESSAGES/django.po: {sorted(missing, key=str)}"


def test_the_set_up_compiled_every_catalogue():
    assert build_messages.po_files(), "no .po file found"
    assert not [po for po in build_messages.po_files() if build_messages.stale(po)], "run `make install`"


def test_compiling_writes_a_catalogue_django_can_read(tmp_path):
    folder = tmp_path / "locale" / "fr" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "fr"}
    po.append(polib.POEntry(msgid="your time", msgstr="votre heure"))
    po.save(str(folder / "django.po"))
    assert build_messages.compile_all(tmp_path) == [folder / "django.mo"]
    assert polib.mofile(str(folder / "django.mo")).find("your time").msgstr == "votre heure"
    assert build_messages.compile_all(tmp_path) == []  # up to date: nothing rewritten


def _po(path, *entries, language="fr"):
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": language}
    for entry in entries:
        po.append(entry)
    po.save(str(path))
    return path


def test_fill_copies_fragment_translations_into_empty_entries_only(tmp_path):
    folder = tmp_path / "locale" / "fr" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    _po(
        folder / "django.po",
        polib.POEntry(msgid="Save", msgstr=""),
        polib.POEntry(msgid="Close", msgstr="Fermer"),
        polib.POEntry(msgid="Open", msgctxt="door", msgstr=""),
        polib.POEntry(msgid="Guess", msgstr="Devine", flags=["fuzzy"]),
        polib.POEntry(msgid="%(n)s day", msgid_plural="%(n)s days", msgstr_plural={0: "", 1: ""}),
    )
    fragments = tmp_path / "fragments"
    fragments.mkdir()
    _po(
        fragments / "fr.po",
        polib.POEntry(msgid="Save", msgstr="Enregistrer"),
        polib.POEntry(msgid="Close", msgstr="Clore"),  # the catalogue's own translation wins
        polib.POEntry(msgid="Open", msgctxt="door", msgstr="Ouvrir"),
        polib.POEntry(msgid="Guess", msgstr="Supposer"),
        polib.POEntry(msgid="%(n)s day", msgid_plural="%(n)s days", msgstr_plural={0: "%(n)s jour", 1: "%(n)s jours"}),
        polib.POEntry(msgid="Gone", msgstr="Parti"),
    )
    [report] = build_messages.fill_from([fragments], tmp_path).values()
    assert (report.filled, report.kept, report.unknown) == (4, 1, ["Gone"])
    filled = polib.pofile(str(folder / "django.po"))
    assert filled.find("Save").msgstr == "Enregistrer"
    assert filled.find("Close").msgstr == "Fermer"
    assert filled.find("Open", msgctxt="door").msgstr == "Ouvrir"
    assert filled.find("Guess").msgstr == "Supposer" and "fuzzy" not in filled.find("Guess").flags
    assert filled.find("%(n)s day").msgstr_plural == {0: "%(n)s jour", 1: "%(n)s jours"}


def test_fill_overwrites_only_when_told(tmp_path):
    folder = tmp_path / "locale" / "fr" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    _po(folder / "django.po", polib.POEntry(msgid="Close", msgstr="Clore"))
    fragments = tmp_path / "fragments"
    fragments.mkdir()
    _po(fragments / "fr.po", polib.POEntry(msgid="Close", msgstr="Fermer"))
    build_messages.fill_from([fragments], tmp_path, overwrite=True)
    assert polib.pofile(str(folder / "django.po")).find("Close").msgstr == "Fermer"
