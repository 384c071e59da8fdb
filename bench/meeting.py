"""Time the panel's decision meeting page at the issue's size against the empty layout.

Builds (once) a closed round on the bench database with 500 applications, each scored by
7 scorers on 7 criteria, then requests the meeting page and the moderation page as a
commissioner, each request followed by one of the empty signed-in layout, and prints the
queries, the median times and their ratio (the aim: at most 3 times the layout). The
pages keep their ranking and moderation in the cache (``panels.meeting_cache``) until a
score, a conflict or an application changes; the last column is the median of the page
computed afresh, as after each such change.

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/microcomm_bench \\
      .venv/bin/python bench/meeting.py [--runs 7]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

from bench.pages import SIGN_INS, fetch, say, signed_in  # noqa: E402
from bench.urls import LAYOUT_URL  # noqa: E402
from microcomm.models import User  # noqa: E402
from panels.meeting_cache import meeting_changed  # noqa: E402
from panels.models import Panel  # noqa: E402
from rounds.models import Round  # noqa: E402
from tests.microcomm.factories import commissioner  # noqa: E402
from tests.panels.meeting_data import meeting_build  # noqa: E402
from tests.permissions.world import COMMISSIONER  # noqa: E402

SLUG = "bench-panel-meeting"
APPLICATIONS, SCORERS = 500, 7


def bench_round() -> Round:
    """The bench's round with a scored panel, built the first time."""
    found = Round.objects.filter(slug=SLUG).first()
    if found is not None:
        return found
    say(f"Building {APPLICATIONS} applications x {SCORERS} scorers x 7 criteria ...")
    panel = meeting_build(applications=APPLICATIONS, scorers=SCORERS)
    Round.objects.filter(pk=panel.round_id).update(slug=SLUG, title="Bench panel meeting")
    # Planner statistics for the bulk load, as autovacuum would soon gather them.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return Round.objects.get(slug=SLUG)


def queries_of(client: Client, url: str) -> list[str]:
    """The SQL one request runs (counted at the connection: DEBUG is off in the bench)."""
    queries: list[str] = []

    def counted(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counted):
        fetch(client, url)
    return queries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="timed requests of each page")
    args = parser.parse_args()
    round = bench_round()
    email = SIGN_INS[COMMISSIONER]
    user = User.objects.filter(email=email).first() or commissioner(
        email=email, full_name="Bench Commissioner"
    )
    # A commissioner signs in with a second factor: they need an authenticator.
    if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        TOTPDevice.objects.create(user=user, name="Bench authenticator", confirmed=True)
    client = signed_in(email)
    for name in ("panels:meeting-detail", "panels:moderation-detail"):
        url = reverse(name, args=[round.slug])
        response, _ = fetch(client, url)  # warm up
        if response.status_code != 200:
            sys.exit(f"{url} answered {response.status_code}")
        queries = queries_of(client, url)
        page_times, layout_times = [], []
        for _ in range(args.runs):
            page_times.append(fetch(client, url)[1])
            layout_times.append(fetch(client, LAYOUT_URL)[1])
        fresh_times = []
        for _ in range(args.runs):
            # Outside a transaction the new generation is made at once: nothing is kept.
            meeting_changed(panel_id=Panel.objects.get(round=round).pk)
            fresh_times.append(fetch(client, url)[1])
        page_ms = statistics.median(page_times)
        layout_ms = statistics.median(layout_times)
        fresh_ms = statistics.median(fresh_times)
        say(
            f"{name}: {len(queries)} queries, {page_ms:.1f} ms, layout {layout_ms:.1f} ms, "
            f"ratio {page_ms / layout_ms:.1f} (aim: at most 3); computed afresh "
            f"{fresh_ms:.1f} ms, ratio {fresh_ms / layout_ms:.1f}"
        )


if __name__ == "__main__":
    main()
