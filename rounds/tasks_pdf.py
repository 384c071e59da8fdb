"""Celery tasks that render PDFs of rounds; named `*.render_*` so they go to the pdf queue."""

from celery import shared_task

from rounds.services import form_builder


@shared_task(name="rounds.tasks_pdf.render_form_pdf")
def render_form_pdf(form_pdf_id: int) -> str:
    return form_builder.form_pdf_render(form_pdf_id=form_pdf_id).status
