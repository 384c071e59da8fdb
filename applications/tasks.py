"""Celery tasks of the applications app: take ids, call a service.

Tasks named `*.render_*` go to the `pdf` queue.
"""

from celery import shared_task

from applications.services.applying import application_pdf_render


@shared_task(name="applications.tasks.render_application_pdf")
def render_application_pdf(pdf_id: int) -> str:
    return application_pdf_render(pdf_id=pdf_id).status
