from django.core.management.base import BaseCommand, CommandError

from assessments.instrument_file import DEFAULT_INSTRUMENT_FILE, InstrumentFileError, read_instrument_file
from assessments.services import load_instrument


class Command(BaseCommand):
    help = (
        "Load an assessment instrument from a YAML file (default: the shipped DTCA). Running it again changes "
        "nothing; a version that already has answers is never rewritten."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(DEFAULT_INSTRUMENT_FILE))

    def handle(self, *args, path, **options):
        try:
            spec = read_instrument_file(path)
            instrument, changed = load_instrument(spec)
        except InstrumentFileError as exc:
            raise CommandError(str(exc)) from exc
        statements = sum(len(d.statements) for d in spec.dimensions)
        verb = "Loaded" if changed else "Already up to date:"
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb} “{instrument.name}” version {instrument.version} "
                f"({len(spec.dimensions)} dimensions, {statements} statements)."
            )
        )
