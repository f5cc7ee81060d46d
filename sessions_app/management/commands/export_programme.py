from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from sessions_app.models import Workshop
from sessions_app.programme_file import dump_document
from sessions_app.selectors import export_programme


class Command(BaseCommand):
    help = "Write a workshop's whole programme as a YAML document (to a file, or to standard output)."

    def add_arguments(self, parser):
        parser.add_argument("slug", help="The workshop's address name, e.g. caribbean-2021.")
        parser.add_argument("path", nargs="?", help="Where to write; standard output when omitted.")

    def handle(self, *args, slug, path=None, **options):
        workshop = Workshop.objects.filter(slug=slug).first()
        if workshop is None:
            known = ", ".join(Workshop.objects.values_list("slug", flat=True)) or "none"
            raise CommandError(f"No workshop “{slug}”. Known: {known}.")
        text = dump_document(export_programme(workshop))
        if path:
            Path(path).write_text(text, encoding="utf-8")
            self.stdout.write(self.style.SUCCESS(f"Wrote {path}"))
        else:
            self.stdout.write(text)
