"""Celery tasks of the rounds app: take ids, call a service."""

from celery import shared_task

from rounds.oruk import jobs
from rounds.services import funding


@shared_task(name="rounds.tasks.advance_rounds", queue="default")
def advance_rounds() -> list[str]:
    """Open and close rounds at their stated times; returns the slugs of the rounds moved."""
    return [round.slug for round in funding.rounds_advance_by_clock()]


@shared_task(name="rounds.tasks.import_directory", queue="default")
def import_directory(import_id: int) -> str:
    """Import an uploaded Open Referral UK file; returns the import's final status."""
    return jobs.directory_import_run(import_id=import_id).status
