"""The time of an application's PDF against a minimal one-page WeasyPrint document.

Renders, on the bench database (BENCH_DATABASE_URL, built by bench/seed_scale.py), the PDF
copy of the submitted application of `bench-round-0` with the most answers, exactly as the
PDF worker does (`pdf/application.html` through `microcomm.pdf.render_pdf`), and a minimal
document (one paragraph, WeasyPrint's defaults), alternately, after a warm-up of each. It
prints the median milliseconds of each and their ratio, and exits with 1 when the ratio is
over --limit (4).

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/microcomm_bench \\
      .venv/bin/python bench/pdf.py [--runs 7] [--limit 4]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()

from django.db.models import Count  # noqa: E402
from weasyprint import HTML  # noqa: E402

from applications.models import Application  # noqa: E402
from applications.selectors.applying import application_answer_sections  # noqa: E402
from microcomm.pdf import render_pdf  # noqa: E402

BENCH_ROUND = "bench-round-0"
MINIMAL = "<!DOCTYPE html><html><body><p>A minimal one-page document.</p></body></html>"


def say(line: str = "") -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def minimal() -> bytes:
    return HTML(string=MINIMAL).write_pdf()


def application_pdf(application: Application) -> Callable[[], bytes]:
    def render() -> bytes:
        return render_pdf(
            template="pdf/application.html",
            context={
                "application": application,
                "sections": application_answer_sections(application=application),
            },
        )

    return render


def timed(render: Callable[[], bytes]) -> tuple[float, int]:
    started = time.perf_counter()
    content = render()
    return (time.perf_counter() - started) * 1000, len(content)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="timed renders of each")
    parser.add_argument("--limit", type=float, default=4, help="most times the minimal one")
    args = parser.parse_args()

    application = (
        Application.objects.filter(round__slug=BENCH_ROUND, submitted_at__isnull=False)
        .select_related("round", "organisation", "submitted_by")
        .annotate(answer_count=Count("answers"))
        .order_by("-answer_count", "pk")
        .first()
    )
    if application is None:
        sys.exit(f"No submitted application in {BENCH_ROUND}: run bench/seed_scale.py first")
    render = application_pdf(application)
    timed(minimal)
    timed(render)
    minimal_ms, application_ms = [], []
    size = 0
    for _ in range(args.runs):
        minimal_ms.append(timed(minimal)[0])
        took, size = timed(render)
        application_ms.append(took)
    minimal_median = statistics.median(minimal_ms)
    application_median = statistics.median(application_ms)
    ratio = application_median / minimal_median
    say(f"{'document':<40} {'median ms':>10} {'x minimal':>10}")
    say(f"{'Minimal one-page document':<40} {minimal_median:>10.0f} {1:>10.2f}")
    say(
        f"{f'Application {application.reference} PDF':<40} "
        f"{application_median:>10.0f} {ratio:>10.2f}"
    )
    say(f"({application.answer_count} answers, {size / 1024:.0f} KB, {args.runs} runs each)")
    if ratio > args.limit:
        say(f"Over the limit of {args.limit:g} times the minimal document")
        sys.exit(1)
    say(f"Within {args.limit:g} times the minimal document")


if __name__ == "__main__":
    main()
