"""Requests a second of the public pages on gunicorn, against a bare Django view.

Starts gunicorn (2 workers) on a free loopback port with production settings (DEBUG off)
on the bench database (BENCH_DATABASE_URL, built by bench/seed_scale.py; the cache is
Redis when REDIS_URL is set, as in production), then sends each public page a bounded
load: --requests requests, or --seconds seconds if that comes first, from --clients
clients at once, all on 127.0.0.1. Prints requests a second for each page and its ratio
to the bare view (a view that answers "OK" through the whole middleware), measured before
and after the pages. Nobody is signed in: these are the pages anonymous visitors load.

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/microcomm_bench \\
      .venv/bin/python bench/throughput.py [--clients 20] [--requests 2000] [--seconds 5]

It exits with 1 when a page serves fewer than --target (half) the bare view's requests a
second, or answers anything but 200.
"""

from __future__ import annotations

import argparse
import http.client
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()

from django.urls import reverse  # noqa: E402

from bench.urls import BARE_URL  # noqa: E402
from rounds.models import GuidanceResource, Round  # noqa: E402

HOST = "127.0.0.1"
BENCH_ROUND = "bench-round-0"


@dataclass
class Load:
    label: str
    path: str
    done: int = 0
    failed: int = 0
    seconds: float = 0.0
    statuses: str = ""

    @property
    def per_second(self) -> float:
        return self.done / self.seconds if self.seconds else 0.0


def say(line: str = "") -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def public_pages() -> list[Load]:
    bench_round = Round.objects.filter(slug=BENCH_ROUND).first()
    if bench_round is None:
        sys.exit(f"No round {BENCH_ROUND}: build the data first with bench/seed_scale.py")
    slug = {"slug": bench_round.slug}
    pages = [
        Load("Public rounds list", reverse("rounds:round-public-list")),
        Load("A round's public page", reverse("rounds:round-public-detail", kwargs=slug)),
        Load("FAQs", reverse("rounds:faq-public-list")),
        Load("Eligibility checker, first page", reverse("rounds:round-eligibility", kwargs=slug)),
        Load("Open Referral UK services", reverse("rounds:oruk-services")),
    ]
    guidance = (
        GuidanceResource.objects.filter(round__isnull=True).exclude(file="").order_by("pk").first()
    )
    if guidance is not None:
        pages.insert(
            3, Load("Guidance download", reverse("rounds:guidance-download", args=[guidance.pk]))
        )
    return pages


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def get(port: int, path: str) -> int:
    connection = http.client.HTTPConnection(HOST, port, timeout=60)
    try:
        connection.request("GET", path, headers={"Host": HOST})
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def drive(port: int, load: Load, *, clients: int, requests: int, seconds: float) -> None:
    """Send the page `requests` requests from `clients` threads, or stop after `seconds`."""
    lock = threading.Lock()
    sent = 0
    statuses: dict[int, int] = {}
    deadline = time.perf_counter() + seconds

    def client() -> None:
        nonlocal sent
        while True:
            with lock:
                if sent >= requests or time.perf_counter() > deadline:
                    return
                sent += 1
            try:
                status = get(port, load.path)
            except OSError:
                status = 0
            with lock:
                statuses[status] = statuses.get(status, 0) + 1

    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    load.seconds = time.perf_counter() - started
    load.done = statuses.get(200, 0)
    load.failed = sum(count for status, count in statuses.items() if status != 200)
    load.statuses = ", ".join(
        f"{count} x {status or 'no answer'}" for status, count in statuses.items() if status != 200
    )


def gunicorn_start(port: int, log: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DEBUG": "0",
        "SECRET_KEY": os.environ.get("SECRET_KEY") or "bench-only-key-never-used-outside-the-bench",
        "ALLOWED_HOSTS": HOST,
        "SECURE_SSL_REDIRECT": "0",
    }
    command = [
        str(Path(sys.executable).with_name("gunicorn")),
        "microcomm.wsgi:application",
        "--chdir",
        str(BASE_DIR),
        "--bind",
        f"{HOST}:{port}",
        "--workers",
        "2",
        "--log-level",
        "warning",
    ]
    with log.open("w") as out:
        server = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            break
        try:
            if get(port, BARE_URL) == 200:
                return server
        except OSError:
            time.sleep(0.3)
    server.terminate()
    sys.exit(f"gunicorn did not start:\n{log.read_text()[-3000:]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=20, help="requests in flight at once")
    parser.add_argument("--requests", type=int, default=2_000, help="most requests a page")
    parser.add_argument("--seconds", type=float, default=5, help="most seconds a page")
    parser.add_argument("--target", type=float, default=0.5, help="least share of the bare view")
    args = parser.parse_args()

    pages = public_pages()
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="microcomm-bench-") as folder:
        log = Path(folder) / "gunicorn.log"
        server = gunicorn_start(port, log)
        try:
            bare_before = Load("Bare view (before)", BARE_URL)
            bare_after = Load("Bare view (after)", BARE_URL)
            for load in [bare_before, *pages]:
                for _ in range(20):  # warm up both workers: imports, templates, the cache
                    get(port, load.path)
            bound = {"clients": args.clients, "requests": args.requests, "seconds": args.seconds}
            for load in [bare_before, *pages, bare_after]:
                drive(port, load, **bound)
                say(f"  {load.path}: {load.per_second:.0f} requests a second")
        finally:
            server.terminate()
            server.wait(timeout=30)
    bare = (bare_before.per_second + bare_after.per_second) / 2
    say()
    say(f"gunicorn, 2 workers, {args.clients} clients, at most {args.requests} requests "
        f"or {args.seconds:g} s a page")  # fmt: skip
    say(f"{'page':<34} {'path':<36} {'requests':>8} {'per s':>7} {'x bare':>7}  target")
    failures = 0
    for load in [bare_before, bare_after, *pages]:
        share = load.per_second / bare if bare else 0.0
        is_bare = load.path == BARE_URL
        miss = (
            f"answered {load.statuses}"
            if load.failed
            else ""
            if is_bare or share >= args.target
            else f"under {args.target:g} x bare"
        )
        failures += bool(miss)
        say(
            f"{load.label:<34} {load.path:<36} {load.done:>8} {load.per_second:>7.0f} "
            f"{share:>7.2f}  {miss or 'ok'}"
        )
    say()
    say(f"{failures} pages under target" if failures else "Every page on target")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
