"""A real Celery worker against Redis: it sends email, renders PDFs and recovers lost work once."""

import datetime
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.utils import timezone

from microcomm import services
from microcomm.celery import app as celery_app
from microcomm.ledger import ledger_sweep
from microcomm.models import OutboundEmail
from microcomm.tasks import sweep_ledgers
from rounds.models import FormPdf
from rounds.services.form_builder import form_create_default, form_pdf_request, form_version
from tests.rounds.factories import RoundFactory

ROOT = Path(__file__).resolve().parents[2]


def _database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    user = db.get("USER") or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{db['NAME']}"


def _wait_for(predicate, timeout: float = 60.0):
    """Poll until the predicate holds; the deadline only bounds a broken run."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(0.2)
    return predicate()


@pytest.fixture
def worker(redis_url, tmp_path, transactional_db):
    outbox = tmp_path / "outbox"
    outbox.mkdir()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "microcomm.settings",
        "DEBUG": "1",
        "DATABASE_URL": _database_url(),
        "REDIS_URL": redis_url,
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(outbox),
        "PRIVATE_MEDIA_ROOT": str(settings.MEDIA_ROOT),
    }
    env.pop("TESTING", None)
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "microcomm",
            "worker",
            "-Q",
            "default,pdf",
            "--pool",
            "solo",
            "--purge",
            "-n",
            "test-worker@%h",
            "--loglevel",
            "INFO",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    try:
        assert _wait_for(lambda: celery_app.control.ping(timeout=1.0)), "worker did not start"
        yield outbox
    finally:
        celery_app.conf.task_always_eager = eager
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


def test_worker_sends_the_sign_up_email(worker):
    user = services.user_sign_up(
        email="worker@example.org", full_name="Wren Walker", password="a-long-test-password"
    )
    messages = _wait_for(lambda: list(worker.glob("*.log")))
    assert messages, "no email arrived from the worker"
    text = messages[0].read_text()
    assert "To: worker@example.org" in text
    assert "/confirm-email/" in text
    assert mail.outbox == []  # delivered by the worker, not inline in this process
    email = OutboundEmail.objects.get(key=f"sign-up-confirm:{user.pk}")
    assert email.status == OutboundEmail.Status.DONE


def test_worker_renders_a_form_pdf_on_the_pdf_queue(worker):
    from rounds.models import FormPdf
    from rounds.services.form_builder import form_create_default
    from tests.rounds.factories import RoundFactory

    round = RoundFactory(title="Warm spaces micro grants")
    form_create_default(round=round, actor=None)
    form_pdf = form_pdf_request(round=round)

    def ready():
        form_pdf.refresh_from_db()
        return form_pdf.status == FormPdf.Status.DONE

    assert _wait_for(ready), f"the PDF is still {form_pdf.status}"
    with form_pdf.file.open("rb") as rendered:
        assert rendered.read(5) == b"%PDF-"


def _long_ago(model) -> datetime.datetime:
    return timezone.now() - model.QUEUED_GRACE - datetime.timedelta(minutes=1)


def test_the_sweep_recovers_an_email_whose_message_was_lost_and_sends_it_once(worker):
    # Recorded in the ledger, but the task's message never reached the broker.
    email = OutboundEmail.objects.create(
        key="lost-message",
        to="lost@example.org",
        subject="Your reminder",
        body_text="A reminder that was nearly lost.",
        queued_at=_long_ago(OutboundEmail),
    )

    assert ledger_sweep()["microcomm.OutboundEmail"] == 1
    assert ledger_sweep()["microcomm.OutboundEmail"] == 0  # sent again once, not each sweep

    def sent():
        email.refresh_from_db()
        return email.status == OutboundEmail.Status.DONE

    assert _wait_for(sent), f"the email is still {email.status}: {email.last_error}"
    messages = list(worker.glob("*.log"))
    assert len(messages) == 1
    assert "To: lost@example.org" in messages[0].read_text()
    assert email.attempts == 1
    assert mail.outbox == []


def test_the_beat_sweep_recovers_a_form_pdf_whose_message_was_lost_and_renders_it_once(worker):
    round = RoundFactory(title="Warm spaces micro grants", slug="warm-spaces")
    form_create_default(round=round, actor=None)
    version = form_version(round=round)
    form_pdf = FormPdf.objects.create(
        key=f"form-pdf:{round.pk}:{version}",
        round=round,
        version=version,
        queued_at=_long_ago(FormPdf),
    )

    # The beat task itself, run by the worker: it sends the render to the pdf queue.
    sweep_ledgers.delay()

    def rendered():
        form_pdf.refresh_from_db()
        return form_pdf.status == FormPdf.Status.DONE

    assert _wait_for(rendered), f"the PDF is still {form_pdf.status}: {form_pdf.last_error}"
    assert form_pdf.attempts == 1
    files = [path for path in Path(settings.MEDIA_ROOT, "forms").rglob("*") if path.is_file()]
    assert [path.name for path in files] == [Path(form_pdf.file.name).name]
    assert files[0].read_bytes().startswith(b"%PDF-")
