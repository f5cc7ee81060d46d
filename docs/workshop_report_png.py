"""Make docs/workshop-report.png, the README's picture of the demo workshop's report: its cover, contents and the
first page of the participation, DTCA, evaluations and action-plan sections, three by two.

    DEBUG=1 .venv/bin/python docs/workshop_report_png.py          # a throw-away SQLite database with the demo

Run it again whenever the report's look changes. It needs the dev dependencies (pypdfium2 renders the pages).
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SECTIONS = ["Participation", "Digital Transformation Capability Assessment", "Evaluations", "Action plans"]
PAGE_WIDTH, GAP, BACKGROUND = 440, 12, (229, 231, 235)


def demo_pdf(database: str | None, scratch: Path) -> bytes:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workshop_portal.settings")
    os.environ["DATABASE_URL"] = database or f"sqlite:///{scratch / 'picture.sqlite3'}"
    os.environ.setdefault("VAR_DIR", str(scratch / "var"))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_demo", "--force", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    from reports import services
    from sessions_app.models import Workshop

    return services.produce(Workshop.objects.get(slug="caribbean-2021"), None, "pdf")


def section_pages(content: bytes) -> list[int]:
    """The cover, the contents and the first page of each section in SECTIONS (0-based), from the bookmarks."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(content))
    first = {
        item.title: reader.get_destination_page_number(item) for item in reader.outline if not isinstance(item, list)
    }
    return [0, 1, *[first[name] for name in SECTIONS]]


def picture(content: bytes, pages: list[int]) -> bytes:
    import pypdfium2
    from PIL import Image

    document = pypdfium2.PdfDocument(content)
    images = []
    for index in pages:
        page = document[index]
        image = page.render(scale=PAGE_WIDTH / page.get_width()).to_pil().convert("RGB")
        images.append(image)
    width, height = images[0].size
    sheet = Image.new("RGB", (3 * width + 4 * GAP, 2 * height + 3 * GAP), BACKGROUND)
    for position, image in enumerate(images):
        row, column = divmod(position, 3)
        sheet.paste(image, (GAP + column * (width + GAP), GAP + row * (height + GAP)))
    buffer = io.BytesIO()
    sheet.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", help="Database URL to use instead of a throw-away SQLite file.")
    parser.add_argument("--output", default=str(ROOT / "docs" / "workshop-report.png"))
    parser.add_argument("--pdf", help="Also keep the demo report's PDF here.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        content = demo_pdf(args.database, Path(scratch))
    if args.pdf:
        Path(args.pdf).write_bytes(content)
    Path(args.output).write_bytes(picture(content, section_pages(content)))
    print(f"{args.output}: pages {', '.join(str(p + 1) for p in section_pages(content))} of the demo report")


if __name__ == "__main__":
    main()
