from celery import shared_task

from . import background


@shared_task(acks_late=True)
def build_background_file(pk: int, job: str) -> bool:
    """A long download (common/background.py), made here rather than in a web request."""
    return background.build(pk, job)
