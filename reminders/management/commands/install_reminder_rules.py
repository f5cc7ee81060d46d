from django.core.management.base import BaseCommand, CommandError

from reminders.services import install_default_rules
from sessions_app.models import Workshop


class Command(BaseCommand):
    help = "Add the default reminder rules (preparation, DTCA, join link, evaluations) to a workshop."

    def add_arguments(self, parser):
        parser.add_argument("slug")

    def handle(self, *args, slug, **options):
        workshop = Workshop.objects.filter(slug=slug).first()
        if workshop is None:
            raise CommandError(f"No workshop “{slug}”.")
        created = install_default_rules(workshop)
        self.stdout.write(self.style.SUCCESS(f"{created} rule(s) added to {workshop.slug}."))
