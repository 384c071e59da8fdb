"""The form PDF, rendered for real by WeasyPrint and read back with pypdf."""

import io
import re

import pytest
from django.template.loader import render_to_string
from pypdf import PdfReader

from microcomm.pdf import render_pdf
from rounds.models import FormPdf, Question, Round
from rounds.selectors.form_builder import form_pdf_context
from rounds.services import form_builder as services
from rounds.tasks_pdf import render_form_pdf
from tests.microcomm.factories import ThemeFactory
from tests.rounds.factories import RoundFactory

pytestmark = pytest.mark.django_db


def _text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    text = " ".join(page.extract_text() for page in reader.pages)
    return re.sub(r"\s+", " ", text)


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.mark.parametrize("tier", Round.Tier.values)
def test_the_preset_form_of_each_tier_renders_every_question(tier, settings):
    settings.SCHEME_NAME = "Eastfield Community Grants"
    round = RoundFactory(tier=tier, title="Tackling loneliness")
    round.priority_themes.add(ThemeFactory(name="Loneliness and isolation"))
    services.form_create_default(round=round, actor=None)

    content = render_pdf(template="pdf/form_questions.html", context=form_pdf_context(round=round))

    assert content.startswith(b"%PDF")
    text = _text(content)
    assert "Tackling loneliness: application form questions" in text
    assert "Eastfield Community Grants" in text
    assert re.search(r"Page 1 of \d+", text)
    assert "Loneliness and isolation" in text
    assert "Up to 250 words" in text
    for question in Question.objects.filter(section__round=round):
        # Long labels wrap across lines; compare their first words.
        assert " ".join(question.label.split()[:4]) in text


def test_a_conditional_question_says_when_it_applies():
    round = RoundFactory(tier=Round.Tier.SMALL)
    services.form_create_default(round=round, actor=None)
    html = render_to_string("pdf/form_questions.html", form_pdf_context(round=round))
    assert _squash(
        "Only if you answered Yes to ‘Does your group have a safeguarding policy?’"
    ) in _squash(html)
    text = _text(
        render_pdf(template="pdf/form_questions.html", context=form_pdf_context(round=round))
    )
    assert "Only if you answered Yes" in text


def test_the_task_renders_the_ledger_row_into_private_storage(settings):
    round = RoundFactory(tier=Round.Tier.MICRO, slug="winter-warmth")
    services.form_create_default(round=round, actor=None)
    form_pdf = services.form_pdf_request(round=round)

    assert render_form_pdf.apply(args=[form_pdf.pk]).get() == FormPdf.Status.DONE

    form_pdf.refresh_from_db()
    assert form_pdf.status == FormPdf.Status.DONE
    assert (form_pdf.attempts, form_pdf.last_error) == (1, "")
    assert form_pdf.finished_at is not None
    assert form_pdf.file.name.startswith("forms/")
    assert str(settings.MEDIA_ROOT) in form_pdf.file.path
    with form_pdf.file.open("rb") as handle:
        assert handle.read(4) == b"%PDF"


def test_rendering_a_ready_pdf_again_changes_nothing():
    round = RoundFactory()
    services.form_create_default(round=round, actor=None)
    form_pdf = services.form_pdf_request(round=round)
    services.form_pdf_render(form_pdf_id=form_pdf.pk)
    form_pdf.refresh_from_db()
    name = form_pdf.file.name
    services.form_pdf_render(form_pdf_id=form_pdf.pk)
    form_pdf.refresh_from_db()
    assert form_pdf.file.name == name
    assert form_pdf.attempts == 1


def test_a_failed_render_keeps_its_error_and_is_queued_again_on_request(monkeypatch):
    round = RoundFactory()
    services.form_create_default(round=round, actor=None)
    form_pdf = services.form_pdf_request(round=round)

    def broken(**kwargs):
        raise RuntimeError("The template cannot be read")

    monkeypatch.setattr(services, "render_pdf", broken)
    services.form_pdf_render(form_pdf_id=form_pdf.pk)
    monkeypatch.undo()
    form_pdf.refresh_from_db()
    assert form_pdf.status == FormPdf.Status.FAILED
    assert form_pdf.last_error == "The template cannot be read"

    again = services.form_pdf_request(round=round)
    assert (again.pk, again.status, again.attempts) == (form_pdf.pk, FormPdf.Status.QUEUED, 0)


def test_the_render_task_goes_to_the_pdf_queue():
    from microcomm.celery import app

    route = app.amqp.router.route({}, "rounds.tasks_pdf.render_form_pdf")
    assert route["queue"].name == "pdf"
    # Its own exchange and key: the message reaches the pdf queue and no other.
    assert (route["queue"].exchange.name, route["queue"].routing_key) == ("pdf", "pdf")
    email = app.amqp.router.route({}, "microcomm.tasks.send_email")
    assert (email["queue"].name, email["queue"].routing_key) == ("default", "default")
