"""manage.py oruk_import <file or directory>: load an Open Referral UK directory."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from rounds.oruk.read import OrukImportError
from rounds.oruk.write import oruk_import_path


class Command(BaseCommand):
    help = (
        "Import services from an Open Referral UK JSON file (a /services page or one "
        "service) or a directory of ORUK CSV files. All or nothing: any problem imports none."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="A JSON file or a directory of CSV files")

    def handle(self, *args: Any, path: Path, **options: Any) -> None:
        try:
            report = oruk_import_path(path=path, actor=None)
        except OrukImportError as error:
            for problem in error.report.errors:
                self.stderr.write(str(problem))
            raise CommandError(
                f"{len(error.report.errors)} problem(s) in {path}. Nothing was imported."
            ) from error
        self.stdout.write(self.style.SUCCESS(report.summary()))
