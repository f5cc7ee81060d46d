from django.core.management.base import BaseCommand, CommandError

from operations.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = "Load an archive made by `backup` into a new, empty database and file storage."

    def add_arguments(self, parser):
        parser.add_argument("archive", help="The .tar.gz written by `manage.py backup`.")

    def handle(self, *args, archive, **options):
        try:
            summary = restore_backup(archive)
        except (BackupError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Restored {summary.rows} rows and {summary.files} files ({summary.bytes} bytes).")
