"""The side-effect ledger: once per key, claimed once, given up with the error kept, swept."""

import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from microcomm import services
from microcomm.celery import app as celery_app
from microcomm.ledger import LedgerGiveUp, ledger_retry, ledger_run, ledger_sweep, ledgers
from microcomm.models import OutboundEmail
from rounds.models import FormPdf
from rounds.services.form_builder import form_create_default
from tests.microcomm.factories import commissioner
from tests.rounds.factories import RoundFactory

pytestmark = pytest.mark.django_db


def _email(key: str = "ledger-test", **fields) -> OutboundEmail:
    """A ledger row recorded without sending its task, as if the message had been lost."""
    return OutboundEmail.objects.create(
        key=key, to="someone@example.org", subject="Hello", body_text="Hello", **fields
    )


def _fail(row):
    raise OSError("Connection refused by the mail server")


def test_every_periodic_sweep_is_in_the_beat_schedule():
    schedule = celery_app.conf.beat_schedule
    assert schedule["sweep-ledgers"]["task"] == "microcomm.tasks.sweep_ledgers"
    assert schedule["advance-rounds"]["task"] == "rounds.tasks.advance_rounds"


def test_every_ledger_moved_onto_the_mechanism_is_registered():
    labels = {ledger.model._meta.label for ledger in ledgers()}
    assert "microcomm.OutboundEmail" in labels


def test_a_failed_attempt_waits_for_the_sweep_with_its_error():
    email = _email()
    ledger_run(OutboundEmail, pk=email.pk, work=_fail)
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.QUEUED
    assert email.attempts == 1
    assert email.last_error == "Connection refused by the mail server"
    assert email.finished_at is None


def test_gives_up_after_the_last_attempt_and_keeps_the_error():
    email = _email()
    for _ in range(OutboundEmail.MAX_ATTEMPTS):
        ledger_run(OutboundEmail, pk=email.pk, work=_fail)
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.FAILED
    assert email.attempts == OutboundEmail.MAX_ATTEMPTS
    assert email.last_error == "Connection refused by the mail server"
    assert email.finished_at is not None
    calls = []
    ledger_run(OutboundEmail, pk=email.pk, work=calls.append)
    assert calls == []  # a failed row is not run again until someone retries it


def test_give_up_fails_at_once_and_keeps_what_the_work_found():
    email = _email()

    def refuse(row):
        raise LedgerGiveUp("The address does not exist", updates={"body_html": "<p>kept</p>"})

    ledger_run(OutboundEmail, pk=email.pk, work=refuse)
    email.refresh_from_db()
    assert (email.status, email.attempts) == (OutboundEmail.Status.FAILED, 1)
    assert email.last_error == "The address does not exist"
    assert email.body_html == "<p>kept</p>"


def test_a_message_delivered_twice_runs_the_work_once():
    email = _email()
    calls = []
    ledger_run(OutboundEmail, pk=email.pk, work=calls.append)
    ledger_run(OutboundEmail, pk=email.pk, work=calls.append)
    email.refresh_from_db()
    assert len(calls) == 1
    assert (email.status, email.attempts) == (OutboundEmail.Status.DONE, 1)
    assert email.started_at <= email.finished_at


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_row_claimed_by_another_worker_is_skipped_not_waited_for():
    email = _email()
    locked, release, finished = threading.Event(), threading.Event(), threading.Event()

    def other_worker():
        try:
            with transaction.atomic():
                OutboundEmail.objects.select_for_update().get(pk=email.pk)
                locked.set()
                release.wait(timeout=30)
        finally:
            connection.close()
            finished.set()

    thread = threading.Thread(target=other_worker)
    thread.start()
    try:
        assert locked.wait(timeout=30)
        calls = []
        row = ledger_run(OutboundEmail, pk=email.pk, work=calls.append)
        assert calls == []
        assert (row.status, row.attempts) == (OutboundEmail.Status.QUEUED, 0)
    finally:
        release.set()
        thread.join(timeout=30)
    assert finished.is_set()


def test_the_sweep_sends_a_lost_row_once(django_capture_on_commit_callbacks):
    long_ago = timezone.now() - OutboundEmail.QUEUED_GRACE - timedelta(seconds=1)
    lost = _email("lost", queued_at=long_ago)
    _email("just-queued")  # its message may still be on its way: left alone
    with django_capture_on_commit_callbacks(execute=True):
        assert ledger_sweep()["microcomm.OutboundEmail"] == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert ledger_sweep()["microcomm.OutboundEmail"] == 0
    lost.refresh_from_db()
    assert (lost.status, lost.attempts) == (OutboundEmail.Status.DONE, 1)
    assert [message.subject for message in mail.outbox] == ["Hello"]


def test_the_sweep_queues_again_a_row_a_dead_worker_left_running(
    django_capture_on_commit_callbacks,
):
    started = timezone.now() - OutboundEmail.RUNNING_TIMEOUT - timedelta(seconds=1)
    stuck = _email(status=OutboundEmail.Status.RUNNING, attempts=1, started_at=started)
    with django_capture_on_commit_callbacks(execute=True):
        ledger_sweep()
    stuck.refresh_from_db()
    assert (stuck.status, stuck.attempts) == (OutboundEmail.Status.DONE, 2)
    assert len(mail.outbox) == 1


def test_a_running_row_within_its_time_is_left_to_its_worker(django_capture_on_commit_callbacks):
    running = _email(status=OutboundEmail.Status.RUNNING, attempts=1, started_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        ledger_sweep()
    running.refresh_from_db()
    assert running.status == OutboundEmail.Status.RUNNING
    assert mail.outbox == []


def test_a_dead_worker_on_the_last_attempt_fails_the_row():
    started = timezone.now() - OutboundEmail.RUNNING_TIMEOUT - timedelta(seconds=1)
    stuck = _email(
        status=OutboundEmail.Status.RUNNING,
        attempts=OutboundEmail.MAX_ATTEMPTS,
        started_at=started,
    )
    ledger_sweep()
    stuck.refresh_from_db()
    assert stuck.status == OutboundEmail.Status.FAILED
    assert "Stopped without finishing" in stuck.last_error
    assert mail.outbox == []


def test_retry_queues_a_failed_row_again_with_fresh_attempts(django_capture_on_commit_callbacks):
    failed = _email(status=OutboundEmail.Status.FAILED, attempts=5, last_error="Refused")
    with django_capture_on_commit_callbacks(execute=True):
        ledger_retry(failed)
    failed.refresh_from_db()
    assert (failed.status, failed.attempts, failed.last_error) == ("done", 1, "")
    assert len(mail.outbox) == 1


def test_queueing_a_key_again_returns_the_first_row(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = services.email_queue(
            key="welcome", to="a@example.org", subject="One", template="email/password_reset"
        )
        again = services.email_queue(
            key="welcome", to="a@example.org", subject="Two", template="email/password_reset"
        )
    assert again.pk == first.pk
    assert [message.subject for message in mail.outbox] == ["One"]


@pytest.mark.django_db(transaction=True)
def test_an_inline_pdf_is_rendered_after_the_response_never_inside_it(client):
    """No broker: the PDF is not ready in the page that asked for it, and is ready (rendered
    once that response was sent) for the next."""
    round = RoundFactory()
    form_create_default(round=round, actor=None)
    client.force_login(commissioner())
    url = reverse("rounds:round-form-pdf", kwargs={"slug": round.slug})

    first = client.get(url)

    assert "Your PDF is being prepared" in first.content.decode()
    assert FormPdf.objects.get(round=round).status == FormPdf.Status.DONE
    second = client.get(url)
    assert second["Content-Type"] == "application/pdf"
    assert b"".join(second.streaming_content).startswith(b"%PDF")
