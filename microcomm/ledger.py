"""The side-effect ledger: one row per effect (an email, a PDF, an import), done once.

Each effect subclasses `LedgerRow` and registers its Celery task with `ledger_register` in
its app's `ready()`. A service records the row with `ledger_queue`, which sends the task
after the transaction commits. The task calls the effect's service, which hands its slow
work to `ledger_run`: the row is claimed in a short transaction, the work runs outside any
row lock, and the outcome is recorded. A failed attempt waits for the sweep to try again;
after the ledger's `MAX_ATTEMPTS` the row is failed and keeps the error.

One beat task (`microcomm.tasks.sweep_ledgers`) calls `ledger_sweep`, which sends again
every row whose message was lost and every row a dead worker left running. A message
delivered twice does no harm: only one run can claim a queued row.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, ClassVar, Protocol, TypeVar

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.utils import timezone

logger = logging.getLogger(__name__)

STATUS_LABELS = {
    "queued": "Queued",
    "running": "Running",
    "done": "Done",
    "failed": "Failed",
}


def ledger_status_field(**labels: str) -> models.CharField:
    """The status field of a ledger, with labels of its own (`done="Sent"`) where it needs them.

    The values are the same for every ledger, so the sweep and the admin treat them alike.
    """
    unknown = set(labels) - set(STATUS_LABELS)
    if unknown:
        raise ValueError(f"Unknown ledger statuses: {', '.join(sorted(unknown))}")
    choices = [(value, labels.get(value, label)) for value, label in STATUS_LABELS.items()]
    return models.CharField(max_length=10, choices=choices, default="queued")


def new_ledger_key() -> str:
    """A key of its own for an effect that has no natural one, such as an upload to import."""
    return uuid.uuid4().hex


class LedgerRow(models.Model):
    """One side effect: unique by key, so it happens once, with what became of it.

    Subclasses add the fields their work needs and may tune the class attributes.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", STATUS_LABELS["queued"]
        RUNNING = "running", STATUS_LABELS["running"]
        DONE = "done", STATUS_LABELS["done"]
        FAILED = "failed", STATUS_LABELS["failed"]

    MAX_ATTEMPTS: ClassVar[int] = 5
    """Attempts before the row is failed for good (a person can still retry it)."""
    QUEUED_GRACE: ClassVar[timedelta] = timedelta(minutes=2)
    """How long a queued row waits for its task before the sweep sends it again."""
    RUNNING_TIMEOUT: ClassVar[timedelta] = timedelta(
        seconds=getattr(settings, "CELERY_TASK_TIME_LIMIT", 6 * 60) + 4 * 60
    )
    """A row running longer than this was left by a dead worker. It is longer than the
    task's hard time limit, after which Celery has killed the task anyway, so a slow but
    living worker is never run twice."""

    key = models.CharField(max_length=200, unique=True, default=new_ledger_key)
    status = ledger_status_field()
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    queued_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True
        indexes = [models.Index(fields=["status", "queued_at"])]

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED}


R = TypeVar("R", bound=LedgerRow)


class LedgerTask(Protocol):
    """What a ledger needs of its Celery task: it takes the row's id."""

    name: str

    def delay(self, pk: int) -> Any: ...


class LedgerGiveUp(Exception):  # noqa: N818 - it names what the ledger does, not a fault
    """Raised by a ledger's work when trying again cannot help (a file with problems).

    The row is failed at once; `updates` are field values to keep on it.
    """

    def __init__(self, message: str, *, updates: Mapping[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.updates = dict(updates or {})


@dataclass(frozen=True)
class Ledger:
    model: type[LedgerRow]
    task: LedgerTask
    after_response: bool = False


_LEDGERS: dict[type[LedgerRow], Ledger] = {}


def ledger_register(
    model: type[LedgerRow], *, task: LedgerTask, after_response: bool = False
) -> None:
    """Say which Celery task runs a ledger's rows; call from the app's `ready()`.

    The task takes the row's id. Registered ledgers are swept for lost work. With
    `after_response` (slow work: PDFs), a task run inline (no broker) for a request waits
    until the response has been sent, so the work is never done inside a request.
    """
    _LEDGERS[model] = Ledger(model=model, task=task, after_response=after_response)


def ledgers() -> list[Ledger]:
    """Every registered ledger."""
    return list(_LEDGERS.values())


# Without a broker (CELERY_TASK_ALWAYS_EAGER: `make run`, the tests) `delay` runs the task
# at once, which inside a request would render a PDF before the response leaves. So the
# inline tasks of `after_response` ledgers wait in this thread's list and run when Django
# sends `request_finished`, which the WSGI server does once the response has gone to the
# browser (the two receivers below, connected in microcomm's ready()). This rather than a
# thread: the work runs once, in order, on the request's own thread and database settings,
# with nothing left running when the process stops; a process that dies first leaves the
# row queued, for the sweep to find. Outside a request (a command, a task, a test with no
# request) inline tasks run at once, as before.
_inline = threading.local()


def ledger_request_started(**kwargs: Any) -> None:
    """Hold this request's inline tasks until its response has been sent."""
    _inline.waiting = []


def ledger_request_finished(**kwargs: Any) -> None:
    """Run the inline tasks the request held back; one failing does not stop the rest."""
    waiting = getattr(_inline, "waiting", None)
    _inline.waiting = None
    if not waiting:
        return
    for task, pk in waiting:
        try:
            task.delay(pk)
        except Exception:  # the row stays queued or failed, and says why
            logger.exception("Ledger task %s for %s failed after the response", task.name, pk)


def _runs_inline(task: LedgerTask) -> bool:
    conf = getattr(getattr(task, "app", None), "conf", None)
    return bool(getattr(conf, "task_always_eager", False))


def _send(ledger: Ledger, pk: int) -> None:
    waiting = getattr(_inline, "waiting", None)
    if ledger.after_response and waiting is not None and _runs_inline(ledger.task):
        waiting.append((ledger.task, pk))
        return
    ledger.task.delay(pk)


def _send_after_commit(model: type[LedgerRow], pk: int) -> None:
    try:
        ledger = _LEDGERS[model]
    except KeyError:
        raise LookupError(
            f"{model.__name__} is not a registered ledger: call ledger_register in ready()"
        ) from None
    transaction.on_commit(lambda: _send(ledger, pk))


def ledger_queue(row: R) -> R:
    """Save a new ledger row and send its task once the transaction commits.

    If a row with the same key exists, that row is returned and nothing is sent again.
    """
    try:
        with transaction.atomic():
            row.save(force_insert=True)
    except IntegrityError:
        existing = type(row)._default_manager.filter(key=row.key).first()
        if existing is None:
            raise
        return existing
    _send_after_commit(type(row), row.pk)
    return row


def ledger_queue_version(
    model: type[R], *, owner: dict[str, Any], key: str, **fields: Any
) -> tuple[R, bool]:
    """Queue the next version of a document made again on request (a panel pack, the
    minutes, a letter): ``owner`` names what it belongs to (``{"panel": panel}``), and the
    model has a ``version`` field. A version still waiting or being made is returned
    instead, so asking twice makes one. Call it with the owner's row locked. Returns the
    row and whether it is a new version.
    """
    being_made = (LedgerRow.Status.QUEUED, LedgerRow.Status.RUNNING)
    rows = model._default_manager.filter(**owner)
    waiting = rows.filter(status__in=being_made).first()
    if waiting is not None:
        return waiting, False
    latest = rows.order_by("-version").first()
    version = latest.version + 1 if latest is not None else 1
    row = ledger_queue(model(key=f"{key}:{version}", version=version, **owner, **fields))
    return row, True


def ledger_retry(row: R) -> R:
    """Queue a failed row again with a fresh count of attempts; other rows are left alone."""
    model = type(row)
    now = timezone.now()
    with transaction.atomic():
        retried = model._default_manager.filter(pk=row.pk, status=LedgerRow.Status.FAILED).update(
            status=LedgerRow.Status.QUEUED,
            attempts=0,
            last_error="",
            queued_at=now,
            started_at=None,
            finished_at=None,
        )
        if retried:
            _send_after_commit(model, row.pk)
    row.refresh_from_db()
    return row


Hook = Callable[[R], None] | None


def _claim(model: type[R], pk: int, on_claim: Hook) -> R | None:
    """Mark a queued row running and count the attempt; None if it is not ours to run."""
    with transaction.atomic():
        row = (
            model._default_manager.select_for_update(skip_locked=True, of=("self",))
            .filter(pk=pk, status=LedgerRow.Status.QUEUED)
            .first()
        )
        if row is None:
            return None
        row.status = LedgerRow.Status.RUNNING
        row.attempts += 1
        row.started_at = timezone.now()
        row.finished_at = None
        row.save(update_fields=["status", "attempts", "started_at", "finished_at"])
        if on_claim is not None:
            on_claim(row)
    return row


def _still_running(row: LedgerRow, **changes: Any) -> bool:
    """Record `changes` if the row is still this run's claim (a sweep may have taken it)."""
    return bool(
        type(row)
        ._default_manager.filter(pk=row.pk, status=LedgerRow.Status.RUNNING, attempts=row.attempts)
        .update(**changes)
    )


class _TakenOver(Exception):  # noqa: N818
    """The sweep gave this run's claim to another run: record nothing, keep nothing."""


def _record_done(row: LedgerRow, on_done: Hook) -> None:
    now = timezone.now()
    with transaction.atomic():
        if not _still_running(row, status=LedgerRow.Status.DONE, finished_at=now, last_error=""):
            raise _TakenOver
        row.status = LedgerRow.Status.DONE
        row.finished_at = now
        row.last_error = ""
        if on_done is not None:
            on_done(row)
        row.save()


def _record_failure(row: LedgerRow, error: Exception, on_failed: Hook) -> None:
    now = timezone.now()
    give_up = isinstance(error, LedgerGiveUp)
    message = (error.message if give_up else str(error)) or type(error).__name__
    final = give_up or row.attempts >= row.MAX_ATTEMPTS
    changes: dict[str, Any] = {"last_error": message[:2000]}
    if final:
        changes.update(status=LedgerRow.Status.FAILED, finished_at=now)
    else:
        # Queued again from now: the sweep sends it after QUEUED_GRACE, a pause between tries.
        changes.update(status=LedgerRow.Status.QUEUED, queued_at=now)
    with transaction.atomic():
        if not _still_running(row, **changes):
            return
        for name, value in changes.items():
            setattr(row, name, value)
        updates = error.updates if give_up else {}
        if updates:
            for name, value in updates.items():
                setattr(row, name, value)
            row.save(update_fields=list(updates))
        if final and on_failed is not None:
            on_failed(row)


def ledger_run(
    model: type[R],
    *,
    pk: int,
    work: Callable[[R], None],
    on_claim: Hook = None,
    on_done: Hook = None,
    on_failed: Hook = None,
    atomic: bool = False,
) -> R:
    """Run one queued row's work once and record the outcome; returns the row as it is now.

    `work` does the slow part (WeasyPrint, SMTP, an import) outside any row lock and may set
    fields on the row, which are saved with its done status. With `atomic`, the work and
    that record share one transaction: for work that is itself database writes, so that an
    import and its record are saved together or not at all. The hooks run inside the
    transaction that claims the row, records it done, or fails it for good. A row that is
    not queued (done, failed, or claimed by another worker) is returned untouched.
    """
    row = _claim(model, pk, on_claim)
    if row is None:
        return model._default_manager.get(pk=pk)
    try:
        if atomic:
            with transaction.atomic():
                work(row)
                _record_done(row, on_done)
        else:
            work(row)
            _record_done(row, on_done)
    except _TakenOver:
        logger.warning("%s %s was taken over before it finished", model.__name__, pk)
    except LedgerGiveUp as error:
        logger.info("%s %s gave up: %s", model.__name__, pk, error.message)
        _record_failure(row, error, on_failed)
    except Exception as error:  # recorded and retried by the sweep, up to MAX_ATTEMPTS
        logger.exception("%s %s failed (attempt %s)", model.__name__, pk, row.attempts)
        _record_failure(row, error, on_failed)
    return row


def _due(model: type[LedgerRow], now: datetime, batch: int) -> tuple[list[int], list[tuple]]:
    manager = model._default_manager
    lost = list(
        manager.filter(status=LedgerRow.Status.QUEUED, queued_at__lt=now - model.QUEUED_GRACE)
        .order_by("queued_at")
        .values_list("pk", "queued_at")[:batch]
    )
    abandoned = list(
        manager.filter(
            status=LedgerRow.Status.RUNNING, started_at__lt=now - model.RUNNING_TIMEOUT
        ).values_list("pk", "attempts")[:batch]
    )
    return lost, abandoned


def ledger_sweep(*, now: datetime | None = None, batch: int = 500) -> dict[str, int]:
    """Send again every registered ledger's lost and abandoned rows; returns counts per model.

    A row queued longer than its `QUEUED_GRACE` lost its message (or is waiting to be
    tried again). A row running longer than its `RUNNING_TIMEOUT` was left by a worker that
    died: it is queued again, or failed if it has had all its attempts.
    """
    now = now or timezone.now()
    sent: dict[str, int] = {}
    for ledger in ledgers():
        model = ledger.model
        manager = model._default_manager
        lost, abandoned = _due(model, now, batch)
        count = 0
        for pk, queued_at in lost:
            with transaction.atomic():
                # Compare and set: a row claimed meanwhile is left to its worker.
                if manager.filter(
                    pk=pk, status=LedgerRow.Status.QUEUED, queued_at=queued_at
                ).update(queued_at=now):
                    _send_after_commit(model, pk)
                    count += 1
        for pk, attempts in abandoned:
            running = manager.filter(pk=pk, status=LedgerRow.Status.RUNNING, attempts=attempts)
            with transaction.atomic():
                if attempts >= model.MAX_ATTEMPTS:
                    running.update(
                        status=LedgerRow.Status.FAILED,
                        finished_at=now,
                        last_error=f"Stopped without finishing after {attempts} attempts: "
                        "the worker running it ended",
                    )
                elif running.update(status=LedgerRow.Status.QUEUED, queued_at=now):
                    _send_after_commit(model, pk)
                    count += 1
        sent[model._meta.label] = count
    return sent
