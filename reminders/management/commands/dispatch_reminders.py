from django.core.management.base import BaseCommand

from reminders.services import dispatch_due_reminders


class Command(BaseCommand):
    help = "Create and enqueue the reminders that are due now (what Celery beat runs every five minutes)."

    def handle(self, *args, **options):
        result = dispatch_due_reminders()
        self.stdout.write(f"{result.created} new deliveries, {len(result.enqueued)} handed to the worker.")
