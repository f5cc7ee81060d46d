from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from sessions_app.programme_file import ProgrammeError, parse_document
from sessions_app.services import import_programme


class Command(BaseCommand):
    help = (
        "Create or update a workshop from a programme YAML document. All or nothing: if the file has a problem, "
        "nothing changes and the problem is named."
    )

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--slug", help="Import under this address name instead of the one in the file.")
        parser.add_argument("--title", help="Import under this title instead of the one in the file.")
        parser.add_argument(
            "--first-date",
            type=date.fromisoformat,
            metavar="YYYY-MM-DD",
            help="Move every date to start on this day.",
        )

    def handle(self, *args, path, slug=None, title=None, first_date=None, **options):
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}") from exc
        try:
            workshop = import_programme(parse_document(text), slug=slug, title=title, first_date=first_date)
        except ProgrammeError as exc:
            raise CommandError(f"Nothing was imported. {exc}") from exc
        self.stdout.write(self.style.SUCCESS(f"Imported “{workshop}” ({workshop.slug})."))
