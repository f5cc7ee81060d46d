"""The portal's JavaScript speaks the page's language: every message a portal script marks with ``gettext(``,
``ngettext(``, ``pgettext(`` or ``npgettext(`` is in ``locale/<language>/LC_MESSAGES/djangojs.po``, translated,
not fuzzy, with the English placeholders (the checks of test_translations_complete); the catalogue is served as
an external script (the CSP allows no inline one) at an address that names language and version, cached a year.

Portal scripts: ``static/js/*.js`` and ``<app>/static/**/*.js`` (never ``static/vendor``), the files
``makemessages -d djangojs`` reads.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import polib
import pytest
from django.urls import reverse

from common import build_messages
from common.jsi18n import catalogue_version

from .factories import UserFactory
from .test_translations_complete import ROOT, SHIPPED, STRING, Marked, problems

JS_CALL = re.compile(rf"(?<![\w.$])(gettext|ngettext|pgettext|npgettext)\(\s*((?:{STRING}\s*,?\s*)+)")
# A message built at run time (a template literal, a variable) never reaches the catalogue.
JS_UNREADABLE = re.compile(r"(?<![\w.$])(?:n?p?gettext)\(\s*(?![\"'])([^)\s][^)]{0,40})")


def portal_scripts(root: Path = ROOT) -> list[Path]:
    shared = sorted((root / "static" / "js").glob("*.js"))
    apps = sorted(p for p in root.glob("*/static/**/*.js") if p.relative_to(root).parts[0] not in {"static", ".venv"})
    return shared + apps


def messages_of_script(path: Path, relative: str) -> list[Marked]:
    source = path.read_text(encoding="utf-8")
    found = []
    for match in JS_CALL.finditer(source):
        name = match.group(1)
        strings = [ast.literal_eval(s) for s in re.findall(STRING, match.group(2))]
        context = strings.pop(0) if name.startswith("p") or name.startswith("np") else None
        if strings and strings[0]:
            found.append(Marked(context, strings[0], strings[1] if name.endswith("ngettext") else None, relative))
    for match in JS_UNREADABLE.finditer(source):
        # Shown as an "f-string" problem: makemessages cannot read what the call translates.
        found.append(Marked(None, match.group(1).strip(), None, relative, hidden=True))
    return found


def js_messages() -> list[Marked]:
    return [m for path in portal_scripts() for m in messages_of_script(path, str(path.relative_to(ROOT)))]


def js_catalogue(language: str) -> polib.POFile:
    return polib.pofile(str(ROOT / "locale" / language / "LC_MESSAGES" / "djangojs.po"))


@pytest.mark.parametrize("language", SHIPPED)
def test_shipped_language_translates_every_message_of_the_portal_scripts(language):
    found = problems(js_catalogue(language), js_messages())
    assert not found, f"locale/{language}/LC_MESSAGES/djangojs.po:\n" + "\n".join(found)


def test_the_run_sheet_countdown_and_copy_buttons_are_among_the_checked_messages():
    # The reader sees the scripts this test is about; an empty list would let the test above pass on nothing.
    found = {m.msgid for m in js_messages()}
    assert {"in %(minutes)s min", "in %(days)s day", "now", "Copied"} <= found
    assert all(m.path.endswith(".js") and "vendor" not in m.path for m in js_messages())


def test_reader_finds_marked_messages_and_flags_unreadable_ones(tmp_path):
    script = tmp_path / "x.js"
    script.write_text(
        'a = gettext("Copied");\n'
        "b = interpolate(ngettext('in %(n)s day', 'in %(n)s days', n), {n: n}, true);\n"
        'c = pgettext("button", "Open");\n'
        "d = gettext(`Hi ${name}`);\n"
    )
    found = messages_of_script(script, "x.js")
    assert {(m.context, m.msgid, m.plural) for m in found if not m.hidden} == {
        (None, "Copied", None),
        (None, "in %(n)s day", "in %(n)s days"),
        ("button", "Open", None),
    }
    assert [m.msgid for m in found if m.hidden] == ["`Hi ${name}`"]


def test_checker_fails_on_a_script_message_missing_or_untranslated(tmp_path):
    script = tmp_path / "x.js"
    script.write_text('gettext("Copied"); gettext("Brand new"); gettext("Left empty");')
    po = polib.POFile()
    po.metadata = {"Plural-Forms": "nplurals=2; plural=(n > 1);"}
    po.append(polib.POEntry(msgid="Copied", msgstr="Copié"))
    po.append(polib.POEntry(msgid="Left empty", msgstr=""))
    assert problems(po, messages_of_script(script, "x.js")) == [
        "missing: 'Brand new' (x.js)",
        "untranslated: 'Left empty'",
    ]


def test_build_messages_compiles_the_javascript_catalogues_too():
    # Django's JavaScriptCatalog reads djangojs.mo: without it the scripts would fall back to English silently.
    compiled = {str(po.relative_to(ROOT)) for po in build_messages.po_files()}
    assert {f"locale/{language}/LC_MESSAGES/djangojs.po" for language in SHIPPED} <= compiled
    stale = [po for po in build_messages.po_files() if build_messages.stale(po)]
    assert not stale, "run python -m common.build_messages"


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["fr", "es", "en"])
def test_pages_load_the_catalogue_of_their_language_as_an_external_script(client, language):
    client.force_login(UserFactory(language=language))
    html = client.get(reverse("participants:profile")).content.decode()
    src = reverse("javascript-catalog", kwargs={"language": language, "version": catalogue_version()})
    # Before the portal's own scripts, which call gettext when they run.
    assert f'<script src="{src}"></script>' in html
    assert html.index(src) < html.index("js/portal.js") < html.index("js/copy.js")


@pytest.mark.django_db
def test_catalogue_is_in_the_language_of_its_address_and_cached_a_year(client):
    url = reverse("javascript-catalog", kwargs={"language": "fr", "version": catalogue_version()})
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="es")
    body = response.content.decode()
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert "dans %(minutes)s min" in body and "Copi\\u00e9" in body
    assert "en %(minutes)s min" not in body
    cache = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"public", "max-age=31536000", "immutable"} <= cache


@pytest.mark.django_db
def test_catalogue_refuses_an_unknown_language_or_an_old_version(client):
    def status(language, version):
        return client.get(reverse("javascript-catalog", kwargs={"language": language, "version": version})).status_code

    assert status("de", catalogue_version()) == 404
    assert status("fr", "0123456789ab") == 404
    assert status("fr", catalogue_version()) == 200
