from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

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
            line = (
                _("would erase %(email)s (last workshop ended %(date)s: %(workshops)s)")
                if dry_run
                else _("erased %(email)s (last workshop ended %(date)s: %(workshops)s)")
            )
            self.stdout.write(
                line
                % {
                    "email": candidate.user.email,
                    "date": f"{candidate.ended_at:%Y-%m-%d}",
                    "workshops": "; ".join(candidate.workshops),
                }
            )
        people = len(run.candidates) if dry_run else run.erased
        imports = ngettext(
            "the kept rows of %(count)d roster import", "the kept rows of %(count)d roster imports", run.roster_imports
        ) % {"count": run.roster_imports}
        if dry_run:
            summary = ngettext(
                "Dry run: %(count)d person would be erased and %(imports)s emptied; nothing was changed.",
                "Dry run: %(count)d people would be erased and %(imports)s emptied; nothing was changed.",
                people,
            )
        else:
            summary = ngettext(
                "Erased %(count)d person; emptied %(imports)s.", "Erased %(count)d people; emptied %(imports)s.", people
            )
        self.stdout.write(summary % {"count": people, "imports": imports})
