"""Compile every committed .po file into the .mo file Django reads, with polib (pure Python: GNU gettext's
msgfmt is not needed on the machine). Run by ``make install`` and the Dockerfile:

    python -m common.build_messages            # all locale/ folders of the project
    python -m common.build_messages --check    # fail when a .mo is missing or older than its .po
    python -m common.build_messages --fill DIR...            # merge translators' fragments into the catalogues
    python -m common.build_messages --fill --overwrite DIR...  # ...replacing translations that differ

A fragment folder holds ``<language>.po`` files (e.g. ``/work/notes/i18n/i18n-live/fr.po``) with the entries one
translator filled. ``--fill`` copies each fragment translation into ``locale/<language>/LC_MESSAGES/django.po``
where that catalogue has the same message (msgctxt + msgid) with an empty translation; it never replaces a
translation already there unless ``--overwrite`` is given, and it reports fragment entries the catalogue lacks
(run ``makemessages`` first). A filled entry loses its ``fuzzy`` flag.

.mo files are build output and never committed.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

import polib  # type: ignore[import-untyped]

ROOT = Path(__file__).resolve().parent.parent
SKIP = {".venv", "node_modules", ".git", "var"}


def po_files(root: Path = ROOT) -> list[Path]:
    return sorted(
        path for path in root.rglob("locale/*/LC_MESSAGES/*.po") if not SKIP & set(path.relative_to(root).parts)
    )


def stale(po: Path) -> bool:
    mo = po.with_suffix(".mo")
    return not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime


def compile_all(root: Path = ROOT) -> list[Path]:
    """Compile each .po whose .mo is missing or older; returns the .mo files written."""
    written = []
    for po in po_files(root):
        if stale(po):
            catalogue = polib.pofile(str(po))
            catalogue.save_as_mofile(str(po.with_suffix(".mo")))
            written.append(po.with_suffix(".mo"))
    return written


@dataclass
class FillReport:
    filled: int = 0
    kept: int = 0  # the catalogue's own translation differs and was kept
    unknown: list[str] = field(default_factory=list)  # in the fragment, not in the catalogue


def _translated(entry: polib.POEntry) -> bool:
    if entry.msgid_plural:
        return bool(entry.msgstr_plural) and all(entry.msgstr_plural.values())
    return bool(entry.msgstr)


def _same_translation(a: polib.POEntry, b: polib.POEntry) -> bool:
    return (a.msgstr, dict(a.msgstr_plural)) == (b.msgstr, dict(b.msgstr_plural))


def fill(
    catalogue: polib.POFile, fragment: polib.POFile, *, overwrite: bool = False, add_missing: bool = False
) -> FillReport:
    """Copy the fragment's translations into the catalogue (in memory): empty or fuzzy entries only, unless
    ``overwrite``. ``add_missing`` appends fragment entries the catalogue lacks (a test building a catalogue from
    fragments before makemessages has run; the integrator runs makemessages instead)."""
    report = FillReport()
    entries = {(e.msgctxt, e.msgid): e for e in catalogue if not e.obsolete}
    for source in fragment:
        if source.obsolete or not _translated(source) or "fuzzy" in source.flags:
            continue
        target = entries.get((source.msgctxt, source.msgid))
        if target is None:
            if add_missing:
                catalogue.append(source)
                report.filled += 1
            else:
                report.unknown.append(source.msgid)
            continue
        empty = not _translated(target) or "fuzzy" in target.flags
        if not empty and not overwrite:
            report.kept += 0 if _same_translation(target, source) else 1
            continue
        if target.msgid_plural:
            target.msgstr_plural = dict(source.msgstr_plural) if source.msgid_plural else {0: source.msgstr}
        else:
            target.msgstr = source.msgstr
        if "fuzzy" in target.flags:
            target.flags.remove("fuzzy")
            target.previous_msgid = target.previous_msgid_plural = target.previous_msgctxt = None
        report.filled += 1
    return report


def fill_from(folders: list[Path], root: Path = ROOT, *, overwrite: bool = False) -> dict[str, FillReport]:
    """Merge every ``<language>.po`` of the fragment folders into ``root``'s catalogues; saves them."""
    reports: dict[str, FillReport] = {}
    for folder in folders:
        for fragment_path in sorted(Path(folder).glob("*.po")):
            language = fragment_path.stem
            po_path = root / "locale" / language / "LC_MESSAGES" / "django.po"
            if not po_path.exists():
                raise SystemExit(f"{fragment_path}: no catalogue {po_path.relative_to(root)}")
            catalogue = polib.pofile(str(po_path), wrapwidth=79)
            report = fill(catalogue, polib.pofile(str(fragment_path)), overwrite=overwrite)
            catalogue.save(str(po_path))
            reports[str(fragment_path)] = report
    return reports


def main(argv: list[str]) -> int:
    if "--fill" in argv:
        folders = [Path(arg) for arg in argv if not arg.startswith("--")]
        if not folders:
            print("usage: python -m common.build_messages --fill [--overwrite] DIR...", file=sys.stderr)
            return 2
        for fragment, report in fill_from(folders, overwrite="--overwrite" in argv).items():
            print(f"{fragment}: {report.filled} filled, {report.kept} differing kept, {len(report.unknown)} unknown")
            for msgid in report.unknown[:20]:
                print(f"  not in the catalogue (run makemessages first?): {msgid[:70]!r}", file=sys.stderr)
        return 0
    if "--check" in argv:
        missing = [po for po in po_files() if stale(po)]
        for po in missing:
            print(f"not compiled: {po.relative_to(ROOT)}", file=sys.stderr)
        return 1 if missing else 0
    for mo in compile_all():
        print(f"compiled {mo.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
