from django.core.management.base import BaseCommand, CommandError

from participants.models import User
from privacy import selectors, services


class Command(BaseCommand):
    help = (
        "Erase a person: account and identifying data removed, their own files deleted; anonymous and group "
        "data kept, team work kept under 'A former participant'."
    )

    def add_arguments(self, parser):
        parser.add_argument("email", help="The person's sign-in address.")
        parser.add_argument("--dry-run", action="store_true", help="Only say what would be erased.")

    def handle(self, *args, email, dry_run=False, **options):
        user = User.objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(f"No account has the address {email}.")
        participations = user.participations.count()
        files = len(selectors.own_files(user))
        if dry_run:
            try:
                services.check_erasable(user, None)
            except services.ErasureRefused as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(f"Would erase {user.email}: {participations} participations kept anonymously.")
            return
        try:
            result = services.erase_person(user)
        except services.ErasureRefused as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Erased {email}: {result.participations} participations kept anonymously, "
            f"{len(result.files)} of their {files} handed-in files deleted (team files are kept)."
        )
