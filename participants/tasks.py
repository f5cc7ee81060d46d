from celery import shared_task

from . import services


@shared_task(autoretry_for=(OSError,), retry_backoff=60, max_retries=5)
def send_invitation(participant_id: int, requested_at: str | None = None) -> bool:
    return services.deliver_invitation(participant_id, requested_at)


@shared_task(autoretry_for=(OSError,), retry_backoff=60, max_retries=5)
def send_new_link(participant_id: int) -> bool:
    return services.deliver_new_link(participant_id)


@shared_task(acks_late=True)
def run_roster_import(job_pk: int) -> bool:
    """A confirmed roster import (participants/services.py), run here rather than in the web request."""
    return services.run_roster_import(job_pk)
