from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from evaluations.templates_file import DEFAULT_TEMPLATES_FILE, TemplatesFileError, load_templates, parse_templates


class Command(BaseCommand):
    help = (
        "Load evaluation templates from a YAML file (by default the two shipped with the portal). A template whose "
        "key exists is kept as organizers edited it, unless --update is given. Forms already made never change."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", default=str(DEFAULT_TEMPLATES_FILE))
        parser.add_argument("--update", action="store_true", help="Rewrite existing templates from the file.")

    def handle(self, *args, **options):
        try:
            rows = parse_templates(Path(options["file"]).read_text(encoding="utf-8"))
        except OSError as exc:
            raise CommandError(f"Cannot read {options['file']}: {exc}") from exc
        except TemplatesFileError as exc:
            raise CommandError(f"Nothing was loaded. {exc}") from exc
        with transaction.atomic():
            result = load_templates(rows, update=options["update"])
        self.stdout.write(self.style.SUCCESS(f"Evaluation templates: {result.summary()}."))
