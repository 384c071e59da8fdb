"""Time the needs register's identifier guard on hostile text, to show it stays linear.

Builds texts made to trouble regular expressions (long runs of one character, repeated
near-misses of each identifier) at a few lengths up to the guard's cap, and prints the
slowest of a few runs of each in milliseconds. Doubling the length should about double
the time; a time that grows four-fold or more means a check has started to backtrack.

    DEBUG=1 .venv/bin/python bench/identifier_guard.py [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

# Near-misses of every pattern the guard looks for, repeated to fill the text.
UNITS = {
    "letters": "a",
    "capitals": "A",
    "name-like words": "Abc Def ",
    "names and commas": "John Smith, ",
    "titles": "Mr ",
    "digits": "0",
    "spaced digits": "0 ",
    "phone-like": "07700 9",
    "plus signs": "+44 ",
    "numbers and commas": "1,",
    "dates": "1/1/",
    "day and month": "3 March ",
    "house numbers": "14 Elm ",
    "postcode districts": "S80 ",
    "at signs": "a@",
    "spelt-out at": "a at ",
    "spelt-out dot": "x (at) y (dot) ",
    "birth words": "born ",
    "apostrophes": "Abc'",
    "hyphens": "a-",
    "prose": "The quick brown fox jumps over the lazy dog. ",
}


def say(line: str = "") -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "microcomm.settings")
    import django

    django.setup()
    from rounds.identifiers import (
        MAX_CHECKED_LENGTH,
        identifier_problems,
        link_identifier_problems,
    )

    lengths = [MAX_CHECKED_LENGTH // 4, MAX_CHECKED_LENGTH // 2, MAX_CHECKED_LENGTH - 100]
    say(f"{'text':<22}" + "".join(f"{n:>10,}" for n in lengths) + f"{'link':>10}")
    for name, unit in UNITS.items():
        row = f"{name:<22}"
        for length in [*lengths, None]:
            text = (unit * MAX_CHECKED_LENGTH)[: length or lengths[-1]]
            check = identifier_problems if length else link_identifier_problems
            if length is None:
                text = "https://example.org/" + text
            slowest = 0.0
            for _ in range(options.runs):
                started = time.perf_counter()
                check(text)
                slowest = max(slowest, time.perf_counter() - started)
            row += f"{slowest * 1000:>9.1f} "
        say(row)


if __name__ == "__main__":
    main()
