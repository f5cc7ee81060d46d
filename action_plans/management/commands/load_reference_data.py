from django.core.management.base import BaseCommand

from action_plans.reference import load_reference_data


class Command(BaseCommand):
    help = (
        "Create or update the SDGs, the principles of effective governance and the qualities of public service "
        "from the files in action_plans/reference/. Running it again changes nothing."
    )

    def handle(self, *args, **options):
        created = load_reference_data()
        self.stdout.write(
            self.style.SUCCESS(
                f"Reference data up to date ({created['sdgs']} SDGs, {created['principles']} principles and "
                f"{created['qualities']} qualities added)."
            )
        )
