from celery import shared_task

from . import services


@shared_task(acks_late=True)
def build_report(pk: int, job: str) -> bool:
    return services.build_generated_report(pk, job)
