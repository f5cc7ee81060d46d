from django.core.management.base import BaseCommand, CommandError

from privacy import services


class Command(BaseCommand):
    help = (
        "Erase participants of workshops that ended more than N months ago and empty the rows their refused or "
        "failed roster imports kept (--dry-run lists them only)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--months", type=int, required=True, help="Months after a workshop's last session.")
        parser.add_argument("--dry-run", action="store_true", help="List who would be erased; change nothing.")

    def handle(self, *args, months, dry_run=False, **options):
        try:
            run = services.apply_retention(months, dry_run=dry_run)
        except services.ErasureRefused as exc:
            raise CommandError(str(exc)) from exc
        for candidate in run.candidates:
            self.stdout.write(
                f"{'would erase' if dry_run else 'erased'} {candidate.user.email} "
                f"(last workshop ended {candidate.ended_at:%Y-%m-%d}: {'; '.join(candidate.workshops)})"
            )
        if dry_run:
            self.stdout.write(
                f"Dry run: {len(run.candidates)} people would be erased and the kept rows of {run.roster_imports} "
                "roster imports emptied; nothing was changed."
            )
        else:
            self.stdout.write(
                f"Erased {run.erased} people; emptied the kept rows of {run.roster_imports} roster imports."
            )
