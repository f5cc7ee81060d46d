from celery import shared_task

from . import services

MAX_RETRIES = 5


def backoff_seconds(retries: int) -> int:
    """30 s, 1 min, 2 min, 4 min, 8 min — capped at 10 min."""
    return min(30 * 2**retries, 600)


@shared_task(name="reminders.dispatch")
def dispatch_reminders() -> int:
    return services.dispatch_due_reminders().created


@shared_task(bind=True, name="reminders.send_delivery", max_retries=MAX_RETRIES, acks_late=True)
def send_delivery(self, delivery_id: int) -> str:
    try:
        return services.send_delivery(delivery_id)
    except services.TransientMailError as exc:
        if self.request.retries >= self.max_retries:
            services.mark_failed(delivery_id, f"Gave up after {self.request.retries + 1} attempts: {exc}")
            return "failed"
        raise self.retry(exc=exc, countdown=backoff_seconds(self.request.retries)) from exc
