"""Compile every committed .po file into the .mo file Django reads, with polib (pure Python: GNU gettext's
msgfmt is not needed on the machine). Run by ``make install`` and the Dockerfile:

    python -m common.build_messages            # all locale/ folders of the project
    python -m common.build_messages --check    # fail when a .mo is missing or older than its .po

.mo files are build output and never committed.
"""

from __future__ import annotations

import sys
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


def main(argv: list[str]) -> int:
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
