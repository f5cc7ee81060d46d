from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from operations.backup import BackupError, create_backup


class Command(BaseCommand):
    help = "Write the database and every stored file into one archive (.tar.gz with a manifest)."

    def add_arguments(self, parser):
        target = parser.add_mutually_exclusive_group()
        target.add_argument("--output", help="The archive to write.")
        target.add_argument("--output-dir", help="A directory; the archive is named after the current time.")

    def handle(self, *args, output=None, output_dir=None, **options):
        if output:
            path = Path(output)
        else:
            stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
            path = Path(output_dir or ".") / f"workshop-portal-{stamp}.tar.gz"
        try:
            summary = create_backup(path)
        except (BackupError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Backup written to {summary.path}: {summary.rows} rows, {summary.files} files ({summary.bytes} bytes)."
        )
