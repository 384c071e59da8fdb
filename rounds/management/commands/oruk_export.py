"""manage.py oruk_export: write our active services as an Open Referral UK page of services."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from rounds.oruk.export import oruk_page, oruk_service
from rounds.selectors.directory import services_for_oruk


class Command(BaseCommand):
    help = (
        "Export the active services, fully nested, as one ORUK page envelope (the same shape "
        "as /openreferral/services), to standard output or a file. oruk_import reads it back."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", "-o", type=Path, help="Write to this file")

    def handle(self, *args: Any, output: Path | None = None, **options: Any) -> None:
        contents = [oruk_service(service) for service in services_for_oruk()]
        page = oruk_page(
            contents=contents, total_items=len(contents), page_number=1, per_page=len(contents)
        )
        text = json.dumps(page, indent=2, ensure_ascii=False)
        if output is None:
            self.stdout.write(text)
        else:
            output.write_text(text + "\n", encoding="utf-8")
            self.stderr.write(f"Wrote {len(contents)} services to {output}")
