from django.core.management.base import BaseCommand, CommandError

from evaluations import services
from sessions_app.models import Workshop


class Command(BaseCommand):
    help = (
        "Create the missing evaluation forms (one per session occurrence, one course form per group) of one "
        "workshop or of all of them, and keep scheduled openings in step with the session dates. Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument("slugs", nargs="*", metavar="workshop-slug", help="Default: every workshop.")

    def handle(self, *args, **options):
        workshops = Workshop.objects.order_by("slug")
        if options["slugs"]:
            workshops = workshops.filter(slug__in=options["slugs"])
            missing = set(options["slugs"]) - set(workshops.values_list("slug", flat=True))
            if missing:
                raise CommandError(f"No workshop with slug: {', '.join(sorted(missing))}.")
        for workshop in workshops:
            result = services.ensure_forms(workshop)
            style = self.style.WARNING if result.missing_templates else self.style.SUCCESS
            self.stdout.write(style(f"{workshop.slug}: {result.summary()}."))
