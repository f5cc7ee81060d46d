"""The template lint: no user-visible text in a project template outside a translation tag.

One test per template, named by its path, so each translator checks their own files:

    pytest tests/test_translation_lint.py -k live            # templates whose path contains "live"
    TRANSLATION_LINT_PATHS=templates/live,templates/reports pytest tests/test_translation_lint.py

What counts as user-visible: text between tags and the attributes people read or hear (``title``, ``alt``,
``placeholder``, ``aria-label``…, the ``value`` of a button-like ``<input>``). What is ignored: ``{{ }}`` and
``{% %}`` contents, text inside ``{% translate %}``/``{% blocktranslate %}`` and ``{% comment %}``, HTML comments,
``<script>`` and ``<style>``, text made only of punctuation, digits and symbols, and the ALLOWED words below.
"""

from __future__ import annotations

import os
import unicodedata
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.template.base import Lexer, TokenType

ROOT = Path(settings.BASE_DIR)
SKIP_FOLDERS = {".venv", "node_modules", ".git", "var", "bench", "static"}
EXTENSIONS = {".html", ".txt"}

#: Text that is the same in every language. Keep it short, each with its reason.
ALLOWED = {
    "Workshop Portal": "the product's name, a brand",
    "DTCA": "the instrument's acronym, kept as is in French and Spanish (see the glossary)",
    ".ics": "a file name extension, the calendar format's name",
}

#: Attributes a person reads (tooltips, placeholders) or hears (screen readers).
VISIBLE_ATTRIBUTES = {
    "title",
    "alt",
    "placeholder",
    "aria-label",
    "aria-description",
    "aria-roledescription",
    "aria-valuetext",
    "aria-placeholder",
    "label",
    "data-bs-title",
    "data-bs-content",
    "data-confirm",
}
BUTTON_INPUTS = {"submit", "button", "reset"}

# Placeholder for every template tag, variable and translated block: a private-use character (a "letter" for
# no one) followed by as many newlines as the replaced source had, so line numbers stay true.
MARK = "\ue000"
TRANSLATE_BLOCKS = {"blocktranslate": "endblocktranslate", "blocktrans": "endblocktrans", "comment": "endcomment"}


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    text: str

    def __str__(self):
        return f"{self.path}:{self.line}: {self.text!r}"


def skeleton(source: str) -> str:
    """The template with every tag, variable, comment and translated block replaced by MARK."""
    parts: list[str] = []
    closing: str | None = None
    for token in Lexer(source).tokenize():
        raw = token.contents
        if token.token_type == TokenType.TEXT and closing is None:
            parts.append(raw)
            continue
        newlines = raw.count("\n")
        if parts and parts[-1].endswith(("<", "</")):
            # A tag whose name a template tag chooses (<{% if href %}a{% else %}button{% endif %} ...>): a name
            # keeps it a tag for the HTML parser.
            parts.append("x-tag" + "\n" * newlines + " ")
            continue
        if token.token_type == TokenType.BLOCK:
            name = raw.split(maxsplit=1)[0] if raw.strip() else ""
            if closing is None and name in TRANSLATE_BLOCKS:
                closing = TRANSLATE_BLOCKS[name]
            elif closing is not None and name == closing:
                closing = None
        parts.append(MARK + "\n" * newlines)
    return "".join(parts)


def visible(text: str) -> str | None:
    """The text if a person would read words in it (letters beyond the allowed names), else None."""
    text = " ".join(text.replace(MARK, " ").split())
    rest = text
    for word in ALLOWED:
        rest = rest.replace(word, " ")
    if any(unicodedata.category(char).startswith("L") for char in rest):
        return text
    return None


class _Walker(HTMLParser):
    def __init__(self, path: str):
        super().__init__(convert_charrefs=True)
        self.path = path
        self.findings: list[Finding] = []
        self.hidden = 0  # inside <script> or <style>

    def _report(self, text: str, line: int):
        shown = visible(text)
        if shown:
            self.findings.append(Finding(self.path, line, shown))

    def handle_starttag(self, tag, attrs):
        line = self.getpos()[0]
        values = dict(attrs)
        button = tag == "input" and (values.get("type") or "").lower() in BUTTON_INPUTS
        for name, value in attrs:
            if value and (name in VISIBLE_ATTRIBUTES or (button and name == "value")):
                self._report(value, line)
        if tag in ("script", "style"):
            self.hidden += 1

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag in ("script", "style"):
            self.hidden -= 1

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self.hidden:
            self.hidden -= 1

    def handle_data(self, data):
        if self.hidden:
            return
        line = self.getpos()[0]
        stripped = data.lstrip()
        line += data[: len(data) - len(stripped)].count("\n")
        self._report(data, line)


def untranslated_text(path: Path) -> list[Finding]:
    """Every piece of user-visible text outside a translation tag in one template, with its line."""
    walker = _Walker(str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path))
    walker.feed(skeleton(path.read_text(encoding="utf-8")))
    walker.close()
    return walker.findings


def project_templates() -> list[Path]:
    folders = [ROOT / "templates", *sorted(ROOT.glob("*/templates"))]
    found = []
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            parts = set(path.relative_to(ROOT).parts)
            if path.suffix in EXTENSIONS and path.is_file() and not SKIP_FOLDERS & parts:
                found.append(path)
    wanted = [p.strip() for p in os.environ.get("TRANSLATION_LINT_PATHS", "").split(",") if p.strip()]
    if wanted:
        found = [p for p in found if any(str(p.relative_to(ROOT)).startswith(prefix) for prefix in wanted)]
    return found


@pytest.mark.parametrize("template", [pytest.param(p, id=str(p.relative_to(ROOT))) for p in project_templates()])
def test_template_has_no_text_outside_translation_tags(template):
    findings = untranslated_text(template)
    report = "text to mark with {% translate %} / {% blocktranslate %}:\n" + "\n".join(map(str, findings))
    assert not findings, report


def _lint(tmp_path, source: str) -> list[str]:
    path = tmp_path / "t.html"
    path.write_text(source)
    return [f"{f.line}:{f.text}" for f in untranslated_text(path)]


def test_lint_reports_text_nodes_and_visible_attributes_with_their_line(tmp_path):
    source = (
        "{% load i18n %}<h1>Welcome</h1>\n"
        '<img src="x.png" alt="A map">\n'
        '<input type="submit" value="Send"> <input type="text" value="data">\n'
        '<a title="{% translate "Fine" %}" aria-label="Open menu">{% translate "Fine" %}</a>'
    )
    assert _lint(tmp_path, source) == ["1:Welcome", "2:A map", "3:Send", "4:Open menu"]


def test_lint_ignores_translated_tags_comments_scripts_symbols_and_allowed_names(tmp_path):
    source = (
        "{% load i18n %}{% translate 'Hello' %}\n"
        "{% blocktranslate trimmed count n=items|length %}\n one item\n{% plural %}\n {{ n }} items\n"
        "{% endblocktranslate %}\n"
        "{% comment %}Some note{% endcomment %}{# a note #}<!-- an HTML note -->\n"
        "<script>let label = 'text';</script><style>p::after { content: 'more'; }</style>\n"
        "<p>{{ user.name }} · 12 – 14 % &middot; (3/4) Workshop Portal DTCA</p>\n"
    )
    assert _lint(tmp_path, source) == []


def test_lint_keeps_line_numbers_after_multiline_tags(tmp_path):
    source = "{% load i18n %}{% blocktranslate trimmed %}\nA\nB\n{% endblocktranslate %}\n{# x #}\n<p>\n  Left\n</p>"
    assert _lint(tmp_path, source) == ["7:Left"]
