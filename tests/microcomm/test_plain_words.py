"""The product's words are plain and the same everywhere: counts, dates and error headings."""

import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from microcomm.formatting import counted, london_date, london_time

TEMPLATES = Path(settings.BASE_DIR) / "templates"


def test_counts_read_as_one_thing_or_many_things():
    assert counted(1, "service") == "1 service"
    assert counted(0, "service") == "0 services"
    assert counted(3, "match", "matches") == "3 matches"


def test_dates_and_times_read_in_london_words():
    summer = timezone.make_aware(datetime.datetime(2027, 6, 12, 16, 30), datetime.UTC)
    assert london_date(summer) == "12 June 2027"
    assert london_time(summer) == "5:30pm"
    assert london_date(datetime.date(2027, 3, 2)) == "2 March 2027"


def _templates():
    return sorted(path for path in TEMPLATES.rglob("*.html"))


@pytest.mark.parametrize(
    "path", [p for p in _templates() if "govuk-error-summary__title" in p.read_text()], ids=str
)
def test_every_error_summary_is_headed_there_is_a_problem(path):
    text = path.read_text()
    headings = re.findall(
        r'class="govuk-error-summary__title">\s*(.*?)\s*</h2>', text, flags=re.DOTALL
    )
    assert headings and set(headings) == {"There is a problem"}, path


def test_no_page_shows_a_short_month_or_a_clock_the_product_does_not_write():
    """Dates read "12 March 2027" and times "5pm", as `microcomm.formatting` writes them."""
    odd = re.compile(r'\|(date|time):"(j M Y|g:iA|f|A|H:i)"')
    found = [
        f"{path.relative_to(TEMPLATES)}: {match.group(0)}"
        for path in _templates()
        for match in odd.finditer(path.read_text())
    ]
    assert found == []
