import json
from datetime import date
from pathlib import Path

import yaml
from django.apps import apps
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from common.registry import demo_loaders
from participants import services as people
from participants.models import Participant, User
from participants.roster import rows_from_dicts
from sessions_app.models import SessionOccurrence, Workshop
from sessions_app.programme_file import ProgrammeError, parse_document
from sessions_app.services import import_programme

#: A demo participant in Haiti whose language is French (the programme carries French and Spanish titles).
FRENCH_PARTICIPANT = "participant-fr@demo.test"

PROGRAMMES = Path(__file__).resolve().parents[3] / "sessions_app" / "programmes"
COUNTRIES = Path(__file__).resolve().parents[3] / "participants" / "data" / "countries.json"


def _delete_with_dependents(queryset, depth: int = 0) -> None:
    """Delete rows and, first, whatever protects them from deletion (submissions, answers, responses …).

    Only rows that point at the deleted ones are removed; shared rows they point to (countries,
    instruments, organizations, user accounts) stay.
    """
    if depth > 20:
        raise CommandError("The demo workshop could not be deleted: its data refer to each other in a loop.")
    while True:
        try:
            with transaction.atomic():
                queryset.delete()
            return
        except ProtectedError as exc:
            by_model: dict = {}
            for obj in exc.protected_objects:
                by_model.setdefault(type(obj), set()).add(obj.pk)
            for model, pks in by_model.items():
                _delete_with_dependents(model._default_manager.filter(pk__in=pks), depth + 1)


class Command(BaseCommand):
    help = (
        "Load the demo workshop (the Caribbean 2021 run), its countries, 40 fictional participants and the demo "
        "accounts. Once it is loaded, running it again changes nothing (so what an organizer changed stays); "
        "--reset deletes the demo workshop with everything done in it and loads it afresh."
    )

    def add_arguments(self, parser):
        parser.add_argument("--programme", default=str(PROGRAMMES / "caribbean-2021.yaml"))
        parser.add_argument("--roster", default=str(PROGRAMMES / "caribbean-2021-demo-roster.yaml"))
        parser.add_argument(
            "--shift-to",
            type=date.fromisoformat,
            metavar="YYYY-MM-DD",
            help="Move every date so that the first session of the first group falls on this date.",
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete the loaded demo workshop (with every change and all activity in it) and load it afresh.",
        )
        parser.add_argument("--force", action="store_true", help="Run even with DEBUG off (it creates accounts).")

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "load_demo creates demo accounts with a known password; it refuses to run with DEBUG off. "
                "Pass --force if you really mean it."
            )
        try:
            programme = parse_document(Path(options["programme"]).read_text(encoding="utf-8"))
            roster = yaml.safe_load(Path(options["roster"]).read_text(encoding="utf-8"))["participants"]
            countries = json.loads(COUNTRIES.read_text(encoding="utf-8"))
        except (OSError, KeyError, TypeError, yaml.YAMLError) as exc:
            raise CommandError(f"Cannot read the demo files: {exc}") from exc
        password = settings.DEMO_PASSWORD
        slug = (programme.get("workshop") or {}).get("slug")
        loaded = Workshop.objects.filter(slug=slug).first() if slug else None
        if loaded is not None and not options["reset"]:
            self._already_loaded(loaded, options["shift_to"], password)
            return
        password_hash = make_password(password)
        try:
            with transaction.atomic():
                if loaded is not None:
                    # Activity belongs to the dates it happened on: a fresh load makes it again for the new dates.
                    _delete_with_dependents(Workshop.objects.filter(pk=loaded.pk))
                people.load_countries(countries)
                workshop = import_programme(programme, first_date=options["shift_to"])
                self._load_roster(workshop, roster, password_hash)
                # The French-speaking demo participant (Haiti) sees the portal and the translated programme in French.
                User.objects.filter(email__iexact=FRENCH_PARTICIPANT).update(language="fr")
                organizer = people.ensure_user(
                    "organizer@demo.test",
                    password_hash=password_hash,
                    first_name="Olivia",
                    last_name="Organizer",
                    is_staff=True,
                    is_superuser=True,
                    timezone=workshop.reference_timezone,
                )
                facilitator = people.ensure_user(
                    "facilitator@demo.test",
                    password_hash=password_hash,
                    first_name="Felix",
                    last_name="Facilitator",
                    timezone=workshop.reference_timezone,
                )
                workshop.facilitators.add(facilitator)
                self._load_feature_demos(workshop)
        except ProgrammeError as exc:
            raise CommandError(str(exc)) from exc
        first = SessionOccurrence.objects.filter(session__workshop=workshop).order_by("starts_at").first()
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded “{workshop.title}”: {workshop.sessions.count()} sessions, "
                f"{SessionOccurrence.objects.filter(session__workshop=workshop).count()} occurrences, "
                f"{Participant.objects.filter(cohort__workshop=workshop).count()} participants; "
                f"first session {first.starts_at.astimezone(workshop.tz):%Y-%m-%d %H:%M} "
                f"{workshop.reference_timezone_label}."
            )
        )
        self.stdout.write(f"Demo accounts (password: {password}):")
        for account in (organizer, facilitator):
            self.stdout.write(f"  {account.email}")
        self.stdout.write("  participant@demo.test")
        self.stdout.write(f"  {FRENCH_PARTICIPANT} (français)")

    def _already_loaded(self, workshop, shift_to, password):
        first = SessionOccurrence.objects.filter(session__workshop=workshop).order_by("starts_at").first()
        when = (
            f"{first.starts_at.astimezone(workshop.tz):%Y-%m-%d %H:%M} {workshop.reference_timezone_label}"
            if first
            else "none"
        )
        self.stdout.write(
            self.style.WARNING(
                _(
                    "The demo workshop “%(title)s” is already loaded (first session %(when)s): nothing was changed, "
                    "so the changes made in it stay."
                )
                % {"title": workshop.title, "when": when}
            )
        )
        if shift_to:
            self.stdout.write(
                _(
                    "The dates were not moved. To load the demo afresh from %(date)s (this deletes every change "
                    "and all activity in the demo workshop): manage.py load_demo --reset --shift-to %(date)s"
                )
                % {"date": shift_to.isoformat()}
            )
        else:
            self.stdout.write(
                _("To load it afresh (this deletes every change and all activity in it): manage.py load_demo --reset")
            )
        self.stdout.write(_("Demo accounts (password: %(password)s):") % {"password": password})
        for email in ("organizer@demo.test", "facilitator@demo.test", "participant@demo.test", FRENCH_PARTICIPANT):
            self.stdout.write(f"  {email}")

    def _load_feature_demos(self, workshop):
        """Each app registers its demo loader (``common.registry.demo_loaders``): ``load(workshop) -> summary``."""
        for loader in demo_loaders.providers:
            summary = loader(workshop)
            if summary:
                app = apps.get_containing_app_config(loader.__module__)
                self.stdout.write(f"  {app.verbose_name}: {summary}")

    def _load_roster(self, workshop, rows, password_hash):
        """The demo roster goes through the same checks as a roster imported in the admin."""
        check, _ = people.import_roster(
            workshop, rows_from_dicts(rows), password_hash=password_hash, allow_enrolled=True
        )
        if not check.is_clean:
            problems = "\n".join(f"  row {row.line}: {' '.join(row.problems)}" for row in check.problem_rows)
            raise CommandError(f"The demo roster has problems:\n{problems}")
