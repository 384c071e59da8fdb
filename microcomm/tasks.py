"""Celery tasks of the core: take ids, call a service."""

from celery import shared_task

from microcomm import services


@shared_task(name="microcomm.tasks.send_email", queue="default")
def send_email(email_id: int) -> str:
    return services.email_deliver(email_id=email_id).status


@shared_task(name="microcomm.tasks.sweep_outbound_email", queue="default")
def sweep_outbound_email() -> int:
    return services.emails_resend_unsent()
