from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assessments.instrument_file import dump_instrument
from assessments.models import Instrument


class Command(BaseCommand):
    help = (
        "Write an instrument version as a YAML file that load_instrument reads back (texts and translations), "
        "to a file or to standard output."
    )

    def add_arguments(self, parser):
        parser.add_argument("key", help="The instrument's key, e.g. dtca.")
        parser.add_argument("--version", type=int, help="Which version (default: the latest).")
        parser.add_argument("path", nargs="?", help="Where to write; standard output when omitted.")

    def handle(self, *args, key, version=None, path=None, **options):
        versions = Instrument.objects.filter(key=key).order_by("-version")
        instrument = versions.filter(version=version).first() if version else versions.first()
        if instrument is None:
            raise CommandError(f"No instrument “{key}”" + (f" version {version}." if version else "."))
        text = dump_instrument(instrument)
        if path:
            Path(path).write_text(text, encoding="utf-8")
            self.stdout.write(self.style.SUCCESS(f"Wrote {path}"))
        else:
            self.stdout.write(text)
