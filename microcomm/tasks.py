"""Celery tasks of the core: take ids, call a service."""

from celery import shared_task

from microcomm import services
from microcomm.ledger import ledger_sweep


@shared_task(name="microcomm.tasks.send_email", queue="default")
def send_email(email_id: int) -> str:
    return services.email_deliver(email_id=email_id).status


@shared_task(name="microcomm.tasks.sweep_ledgers", queue="default")
def sweep_ledgers() -> dict[str, int]:
    """Send again the work of every ledger whose message was lost or whose worker died."""
    return ledger_sweep()
