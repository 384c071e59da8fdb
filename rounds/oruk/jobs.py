"""Importing an uploaded directory in the background, recorded as a `DirectoryImport`.

The upload page never imports in the web request: `directory_import_queue` keeps the file
and queues the `rounds.tasks.import_directory` task, which calls `directory_import_run`.
The management command calls `oruk_import_path` directly.
"""

from __future__ import annotations

import logging
from dataclasses import asdict
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from microcomm.audit import audit_record
from microcomm.formatting import counted
from microcomm.ledger import LedgerGiveUp, ledger_queue, ledger_run
from microcomm.models import User
from rounds.models import DirectoryImport
from rounds.oruk.read import OrukImportError, oruk_guess_format
from rounds.oruk.write import oruk_import_upload

logger = logging.getLogger(__name__)


def _upload_head(upload: UploadedFile, size: int = 2048) -> bytes:
    upload.seek(0)
    head = upload.read(size)
    upload.seek(0)
    return head


def directory_import_queue(*, upload: UploadedFile, actor: User | None) -> DirectoryImport:
    """Keep the uploaded file in private storage and queue the import task once saved."""
    original_name = Path(upload.name or "").name
    file_format = oruk_guess_format(name=original_name, head=_upload_head(upload))
    if file_format is None:
        raise ValueError("Check the file with oruk_guess_format before queueing it")
    with transaction.atomic():
        directory_import = DirectoryImport(
            original_name=original_name[:255],
            format=file_format,
            started_by=actor if actor is not None and actor.is_authenticated else None,
        )
        directory_import.file.save(original_name, upload, save=False)
        ledger_queue(directory_import)
        audit_record(
            actor=actor,
            verb="directory_import.queue",
            target=directory_import,
            to_state=directory_import.status,
            detail={"file": original_name, "format": file_format},
        )
    return directory_import


def _directory_import_audit(directory_import: DirectoryImport, *, verb: str, **extra: Any) -> None:
    audit_record(
        actor=directory_import.started_by,
        verb=f"directory_import.{verb}",
        target=directory_import,
        **extra,
    )


def _directory_import_started(directory_import: DirectoryImport) -> None:
    _directory_import_audit(
        directory_import,
        verb="start",
        from_state=DirectoryImport.Status.QUEUED,
        to_state=DirectoryImport.Status.RUNNING,
    )


def _directory_import_finished(directory_import: DirectoryImport) -> None:
    _directory_import_audit(
        directory_import,
        verb=directory_import.status,
        from_state=DirectoryImport.Status.RUNNING,
        to_state=directory_import.status,
        detail={"counts": directory_import.counts, "problems": len(directory_import.problems)},
    )


def _problem(message: str) -> dict[str, str]:
    return {"where": "File", "message": message}


def _directory_import_work(directory_import: DirectoryImport) -> None:
    """Import the file: raises LedgerGiveUp with the problems when it cannot be imported.

    Neither a file with problems nor a fault of ours is tried again: the person who
    uploaded it is waiting on the page and is told at once.
    """
    try:
        with directory_import.file.open("rb") as handle:
            content = handle.read()
    except OSError as error:
        logger.exception(
            "Directory import %s: the uploaded file cannot be read", directory_import.pk
        )
        message = "The uploaded file cannot be read"
        raise LedgerGiveUp(message, updates={"problems": [_problem(message)]}) from error
    try:
        report = oruk_import_upload(
            filename=directory_import.original_name,
            content=content,
            actor=directory_import.started_by,
        )
    except OrukImportError as error:
        problems = [asdict(problem) for problem in error.report.errors]
        raise LedgerGiveUp(
            f"The file has {counted(len(problems), 'problem')}", updates={"problems": problems}
        ) from error
    except Exception as error:
        # A fault of ours, not of the file: logged for us, and the page stops waiting.
        logger.exception("Directory import %s failed unexpectedly", directory_import.pk)
        raise LedgerGiveUp(
            f"Failed unexpectedly: {error!r}",
            updates={
                "problems": [
                    _problem(
                        "Something went wrong on our side. Nothing was imported. Try again later"
                    )
                ]
            },
        ) from error
    directory_import.counts = report.counts()
    directory_import.problems = []


def directory_import_run(*, import_id: int) -> DirectoryImport:
    """Import a queued file: all or nothing, then record the counts or the problems.

    The import and its record are saved in one transaction. A finished import is left
    alone, so a task delivered twice does no harm; one left running by a worker that died
    is queued again by the ledger's sweep (its transaction never committed).
    """
    return ledger_run(
        DirectoryImport,
        pk=import_id,
        work=_directory_import_work,
        on_claim=_directory_import_started,
        on_done=_directory_import_finished,
        on_failed=_directory_import_finished,
        atomic=True,
    )
