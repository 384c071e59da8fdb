"""Time every list, report and dashboard page against the empty layout, at scale.

Finds the pages in the URLconf (every GET page with no object in its address, and a few
pages of one object that are dashboards or reports, such as a round's applications),
requests each as the people who use it (their role from the permission table,
tests/permissions/table.py; public pages as someone not signed in) with Django's test
client on the bench database (bench/seed_scale.py builds it), each request followed by
one of the empty signed-in layout, and prints: page, role, queries, median ms, and the
ratio of the medians. With --compare-tenth it measures the same on a tenth of the data
(BENCH_TENTH_DATABASE_URL) first and prints that ratio too.

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/microcomm_bench \\
      .venv/bin/python bench/pages.py [--runs 7] [--only needs] [--compare-tenth]

It exits with 1 when a page is over its target: more than --limit (2) times the layout,
a ratio above the tenth's by more than noise, or an answer other than 200.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import URLPattern, URLResolver, get_resolver, reverse  # noqa: E402
from django_otp import DEVICE_ID_SESSION_KEY  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

from bench.urls import LAYOUT_URL  # noqa: E402
from microcomm.models import Locality, User  # noqa: E402
from rounds.models import Fund, Round  # noqa: E402
from tests.permissions.table import TABLE, Row  # noqa: E402
from tests.permissions.world import ANONYMOUS, APPLICANT_A, COMMISSIONER, LINK_WORKER  # noqa: E402

# Who each persona of the permission table is in the bench's data: the demo logins.
SIGN_INS = {
    COMMISSIONER: "commissioner@example.org",
    LINK_WORKER: "linkworker@example.org",
    APPLICANT_A: "applicant@example.org",
}
ROLE_NAMES = {
    ANONYMOUS: "not signed in",
    COMMISSIONER: "commissioner",
    LINK_WORKER: "link worker",
    APPLICANT_A: "applicant",
}
# Pages with no object that are forms or steps of signing in, not lists or dashboards.
NOT_LISTS = (
    "-create",
    "-propose",
    "-quick-log",
    "-import",
    "-assist-start",
    "sign-",
    "signed-out",
    "password-reset",
    "two-factor",
    "recovery-codes",
    "notifications-read",
    "support-request-sent",
    "healthz",
    "accessibility",
    "privacy",
)
# The bench's round with every group's application (bench/seed_scale.py), and its search.
BENCH_ROUND = "bench-round-0"
# Beyond the pages themselves: the searches, filters and sizes people use on them.
VARIANTS: dict[str, list[tuple[str, str]]] = {
    "rounds:need-list": [("search", "?q=walking")],
    "rounds:service-list": [("search", "?q=garden")],
    "rounds:gap-analysis": [("largest gaps", "?sort=largest")],
    "rounds:oruk-services": [("200 per page", "?per_page=200")],
}
# How many times the layout may be exceeded at the full size by a ratio that grows with
# the data before it counts as growing: a quarter, and a quarter of the layout besides.
NOISE_FACTOR = 1.25
NOISE_ADDED = 0.25


@dataclass
class Page:
    key: str  # the URL name, and what variant: the same at every size
    url: str
    persona: str


@dataclass
class Result:
    key: str
    url: str
    role: str
    status: int
    queries: int = 0
    median_ms: float = 0.0
    layout_ms: float = 0.0
    problem: str = ""
    tenth_ratio: float | None = None
    samples: list[float] = field(default_factory=list)

    @property
    def ratio(self) -> float:
        return self.median_ms / self.layout_ms if self.layout_ms else 0.0


def say(line: str = "") -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def _params(pattern: URLPattern | URLResolver) -> list[str]:
    converters = getattr(pattern.pattern, "converters", None)
    if converters is not None:
        return list(converters)
    return list(pattern.pattern.regex.groupindex)


def urls_without_objects() -> list[tuple[str, str]]:
    """(permission table key, URL name) of every product page with no parameter.

    A name two patterns share is keyed by its parameters in the table only when it has
    some, so a page with none is keyed by its name alone.
    """
    found: list[tuple[str, list[str]]] = []

    def walk(patterns: list, namespace: str, params: list[str]) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if {pattern.namespace, pattern.app_name} & {"admin"}:
                    continue
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, inner, params + _params(pattern))
            elif pattern.name:
                found.append((f"{namespace}{pattern.name}", params + _params(pattern)))

    walk(get_resolver("microcomm.urls").url_patterns, "", [])
    return [(name, name) for name, params in found if not params]


def personas_of(row: Row | tuple[Row, ...] | None) -> list[str]:
    """Who uses a page: someone not signed in for a public page, else each staff role."""
    if row is None:
        return [COMMISSIONER]
    first = row[0] if isinstance(row, tuple) else row
    if first.public and ANONYMOUS in first.do:
        return [ANONYMOUS]
    return [persona for persona in SIGN_INS if persona in first.do]


def pages_found() -> tuple[list[Page], list[str]]:
    pages: list[Page] = []
    skipped: list[str] = []
    for key, name in urls_without_objects():
        if any(part in name for part in NOT_LISTS):
            skipped.append(name)
            continue
        url = reverse(name)
        for persona in personas_of(TABLE.get(key)):
            pages.append(Page(name, url, persona))
            for label, query in VARIANTS.get(name, []):
                pages.append(Page(f"{name} ({label})", url + query, persona))
    bench_round = Round.objects.filter(slug=BENCH_ROUND).first()
    if bench_round is None:
        sys.exit(f"No round {BENCH_ROUND}: build the data first with bench/seed_scale.py")
    slug = {"slug": bench_round.slug}
    ward = Locality.objects.filter(kind=Locality.Kind.WARD).order_by("pk").first()
    assessing = reverse("applications:manage-application-list", kwargs=slug)
    fund = Fund.objects.filter(name="Bench fund 0").first()
    pages += [
        Page("applications:manage-application-list", assessing, COMMISSIONER),
        Page(
            "applications:manage-application-list (by place)",
            f"{assessing}?locality={ward.pk if ward else ''}",
            COMMISSIONER,
        ),
        Page(
            "applications:manage-application-list (search)", f"{assessing}?q=garden", COMMISSIONER
        ),
        Page(
            "applications:manage-application-csv",
            reverse("applications:manage-application-csv", kwargs=slug),
            COMMISSIONER,
        ),
        Page("rounds:round-detail", reverse("rounds:round-detail", kwargs=slug), COMMISSIONER),
        Page(
            "rounds:round-public-detail",
            reverse("rounds:round-public-detail", kwargs=slug),
            ANONYMOUS,
        ),
        Page(
            "rounds:round-eligibility", reverse("rounds:round-eligibility", kwargs=slug), ANONYMOUS
        ),
    ]
    if fund is not None:
        pages.append(
            Page("rounds:fund-detail", reverse("rounds:fund-detail", args=[fund.pk]), COMMISSIONER)
        )
    return pages, skipped


def signed_in(email: str) -> Client:
    """A client signed in as the person, second step included where they need it."""
    user = User.objects.get(email=email)
    client = Client(raise_request_exception=False)
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is not None:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def fetch(client: Client, url: str) -> tuple[HttpResponse, float]:
    """One request, and its time in ms until the whole body (a streamed one too) is read."""
    started = time.perf_counter()
    response = client.get(url)
    if response.streaming:
        for _chunk in response.streaming_content:
            pass
    else:
        _ = response.content
    return response, (time.perf_counter() - started) * 1000


def measure(page: Page, clients: dict[str, Client], runs: int) -> Result:
    client = clients[page.persona]
    # Someone not signed in is compared with the applicant's layout: it is signed in.
    layout_client = clients[page.persona if page.persona != ANONYMOUS else APPLICANT_A]
    result = Result(page.key, page.url, ROLE_NAMES[page.persona], status=0)
    response, _ = fetch(client, page.url)  # warm up templates, caches and the database
    result.status = response.status_code
    if response.status_code != 200:
        exc_info = getattr(response, "exc_info", None)
        if exc_info:
            result.problem = f"{exc_info[0].__name__}: {exc_info[1]}"[:300]
        elif response.status_code in {301, 302}:
            result.problem = f"redirects to {response.get('Location', '')}"
        return result
    with CaptureQueriesContext(connection) as queries:
        fetch(client, page.url)
    result.queries = len(queries)
    fetch(layout_client, LAYOUT_URL)
    page_times, layout_times = [], []
    for _ in range(runs):
        page_times.append(fetch(client, page.url)[1])
        layout_times.append(fetch(layout_client, LAYOUT_URL)[1])
    result.median_ms = statistics.median(page_times)
    result.layout_ms = statistics.median(layout_times)
    result.samples = page_times
    return result


def over_target(result: Result, limit: float) -> str:
    """Why a page misses its target, or "" when it meets it."""
    if result.status != 200:
        return f"answered {result.status}"
    if result.ratio > limit:
        return f"over {limit:g} x layout"
    if result.tenth_ratio is not None and result.ratio > (
        result.tenth_ratio * NOISE_FACTOR + NOISE_ADDED
    ):
        return "grows with the data"
    return ""


def measure_tenth(args: argparse.Namespace) -> dict[tuple[str, str], float]:
    """Run this script on the tenth-size database and read its ratios."""
    tenth_url = os.environ.get("BENCH_TENTH_DATABASE_URL", "").strip()
    if not tenth_url:
        sys.exit("--compare-tenth needs BENCH_TENTH_DATABASE_URL (built with --scale 0.1)")
    if tenth_url == os.environ.get("BENCH_DATABASE_URL", "").strip():
        sys.exit("BENCH_TENTH_DATABASE_URL must be another database than BENCH_DATABASE_URL")
    with tempfile.TemporaryDirectory(prefix="microcomm-bench-") as folder:
        out = Path(folder) / "tenth.json"
        command = [sys.executable, __file__, "--runs", str(args.runs), "--json", str(out)]
        if args.only:
            command += ["--only", args.only]
        say("Measuring the tenth-size database first ...")
        subprocess.run(
            command,
            env={**os.environ, "BENCH_DATABASE_URL": tenth_url},
            check=False,
            stdout=subprocess.DEVNULL,
        )
        if not out.exists():
            sys.exit("The tenth-size run wrote no results")
        rows = json.loads(out.read_text())
    return {
        (row["key"], row["role"]): row["median_ms"] / row["layout_ms"]
        for row in rows
        if row["layout_ms"]
    }


def print_table(results: list[Result], limit: float, runs: int) -> int:
    compare = any(r.tenth_ratio is not None for r in results)
    database = connection.settings_dict["NAME"]
    say()
    say(f"{database}: median of {runs} requests each, layout = empty signed-in page")
    header = f"{'page':<52} {'role':<14} {'queries':>7} {'ms':>8} {'x layout':>8}"
    if compare:
        header += f" {'x at 1/10':>9}"
    say(header + "  target")
    failures = 0
    for r in results:
        miss = over_target(r, limit)
        failures += bool(miss)
        if r.status == 200:
            line = f"{r.key:<52} {r.role:<14} {r.queries:>7} {r.median_ms:>8.1f} {r.ratio:>8.1f}"
        else:
            line = f"{r.key:<52} {r.role:<14} {'-':>7} {'-':>8} {'-':>8}"
        if compare:
            line += f" {r.tenth_ratio:>9.1f}" if r.tenth_ratio is not None else f" {'-':>9}"
        say(f"{line}  {miss or 'ok'}")
    for r in results:
        if r.problem:
            say(f"  {r.key} as {r.role}: {r.problem}")
    say()
    say(f"{failures} of {len(results)} pages over target" if failures else "Every page on target")
    return failures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="timed requests of each page")
    parser.add_argument("--only", default="", help="only pages whose name holds this text")
    parser.add_argument("--limit", type=float, default=2.0, help="most times the layout")
    parser.add_argument("--compare-tenth", action="store_true")
    parser.add_argument("--json", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()

    tenth = measure_tenth(args) if args.compare_tenth else {}
    pages, skipped = pages_found()
    pages = [page for page in pages if args.only in page.key]
    clients: dict[str, Client] = {ANONYMOUS: Client(raise_request_exception=False)}
    clients |= {persona: signed_in(email) for persona, email in SIGN_INS.items()}
    say(f"{len(pages)} pages; not lists, so not timed: {', '.join(sorted(set(skipped)))}")
    results = []
    for page in pages:
        result = measure(page, clients, args.runs)
        result.tenth_ratio = tenth.get((result.key, result.role))
        results.append(result)
        say(f"  {page.url} as {result.role}: {result.median_ms:.0f} ms ({result.status})")
    if args.json:
        Path(args.json).write_text(json.dumps([asdict(r) for r in results]))
    failures = print_table(results, args.limit, args.runs)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
