"""Time the gap analysis and the directory search against an empty layout, at scale.

Seeds 50,000 needs and 5,000 services into a database of its own (a fresh SQLite file in a
temporary folder, or BENCH_DATABASE_URL), signs in as the demo commissioner with Django's
test client, and prints the median time of each page and its ratio to a page that only
renders the layout (the accessibility statement). Never touches the development database.

    DEBUG=1 .venv/bin/python bench/gap_analysis.py [--needs 50000] [--services 5000] [--runs 15]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.test import Client

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))


def _choose_database(folder: str) -> str:
    """BENCH_DATABASE_URL when given (and not the development database), else a new file."""
    bench_url = os.environ.get("BENCH_DATABASE_URL", "").strip()
    if bench_url and bench_url == os.environ.get("DATABASE_URL", "").strip():
        sys.exit("BENCH_DATABASE_URL is the same as DATABASE_URL: give the bench its own database")
    return bench_url or f"sqlite:///{folder}/bench.sqlite3"


def say(line: str = "") -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--needs", type=int, default=50_000)
    parser.add_argument("--services", type=int, default=5_000)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="microcomm-bench-") as folder:
        os.environ["DATABASE_URL"] = _choose_database(folder)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "microcomm.settings")
        import django

        django.setup()
        _run(needs=args.needs, services=args.services, runs=args.runs)


def _seed(*, needs: int, services: int) -> None:
    from microcomm.demo import demo_seed
    from microcomm.models import Locality, Theme
    from rounds.models import Need, NeedSignal, PopulationGroup, Service

    demo_seed()
    if Need.objects.count() >= needs:
        say(f"Already seeded: {Need.objects.count():,} needs, {Service.objects.count():,} services")
        return
    wards = list(Locality.objects.filter(kind=Locality.Kind.WARD))
    themes = list(Theme.objects.filter(is_active=True))
    groups = list(PopulationGroup.objects.all())
    statuses = [Need.Status.OPEN] * 6 + [Need.Status.BEING_ADDRESSED, Need.Status.CLOSED]
    started = time.perf_counter()
    made = Need.objects.bulk_create(
        (
            Need(
                title=f"Bench need {n}",
                locality=wards[n % len(wards)],
                theme=themes[(n // len(wards)) % len(themes)],
                status=statuses[n % len(statuses)],
                signal_count=1 + n % 4,
                people_affected=(n % 11) or None,
            )
            for n in range(needs)
        ),
        batch_size=2_000,
    )
    Need.population_groups.through.objects.bulk_create(
        (
            Need.population_groups.through(need=need, populationgroup=groups[n % len(groups)])
            for n, need in enumerate(made)
            if n % 3 == 0
        ),
        batch_size=2_000,
    )
    NeedSignal.objects.bulk_create(
        (NeedSignal(need=need) for need in made for _ in range(need.signal_count)),
        batch_size=5_000,
    )
    service_statuses = [Service.Status.ACTIVE] * 4 + [Service.Status.PAUSED]
    offered = Service.objects.bulk_create(
        (
            Service(
                name=f"Bench service {n}",
                status=service_statuses[n % len(service_statuses)],
                capacity_per_week=5 + n % 20,
                waiting_list=n % 6,
            )
            for n in range(services)
        ),
        batch_size=2_000,
    )
    Service.themes.through.objects.bulk_create(
        (
            Service.themes.through(service=service, theme=themes[(n + k) % len(themes)])
            for n, service in enumerate(offered)
            for k in range(1 + n % 2)
        ),
        batch_size=2_000,
    )
    Service.localities.through.objects.bulk_create(
        (
            Service.localities.through(service=service, locality=wards[(n + k) % len(wards)])
            for n, service in enumerate(offered)
            for k in range(1 + n % 3)
        ),
        batch_size=2_000,
    )
    say(
        f"Seeded {needs:,} needs and {services:,} services in {time.perf_counter() - started:.1f} s"
    )


def _median_ms(client: Client, url: str, runs: int) -> float | None:
    """The median time of a page in milliseconds; None when it does not answer 200."""
    from django.db import reset_queries

    response = client.get(url)  # warm up templates and caches
    if response.status_code != 200:
        say(f"{url} answered {response.status_code}, not 200: not timed")
        return None
    times = []
    for _ in range(runs):
        reset_queries()
        started = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def _run(*, needs: int, services: int, runs: int) -> None:
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    from microcomm.models import User

    database = settings.DATABASES["default"]
    say(f"Database: {database['ENGINE'].rsplit('.', 1)[-1]} {database['NAME']}")
    call_command("migrate", verbosity=0)
    _seed(needs=needs, services=services)

    client = Client()
    client.force_login(User.objects.get(email="commissioner@example.org"))
    pages = [
        ("Empty layout (accessibility statement)", "/accessibility/"),
        ("Gap analysis", "/gaps/"),
        ("Gap analysis, largest gaps first", "/gaps/?sort=largest"),
        ("Gap analysis as CSV", "/gaps.csv"),
        ("Directory search", "/directory/"),
    ]
    results = [(label, url, _median_ms(client, url, runs)) for label, url in pages]
    baseline = results[0][2]
    if baseline is None:
        sys.exit("The empty layout page did not answer 200; nothing to compare against")
    say()
    say(f"Median of {runs} requests each")
    say(f"{'Page':<42} {'median ms':>10} {'x layout':>9}")
    for label, _url, median in results:
        if median is None:
            say(f"{label:<42} {'-':>10} {'-':>9}")
        else:
            say(f"{label:<42} {median:>10.1f} {median / baseline:>9.1f}")


if __name__ == "__main__":
    main()
