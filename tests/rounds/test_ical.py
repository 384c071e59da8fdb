import pytest
from django.test import override_settings
from django.urls import reverse

from rounds.selectors.funding import ical_escape, ical_fold, round_ical
from tests.rounds.factories import RoundEventFactory, RoundFactory, london

pytestmark = pytest.mark.django_db


def unfold(text: str) -> list[str]:
    return text.replace("\r\n ", "").split("\r\n")


def test_text_is_escaped():
    assert ical_escape("Tea, cake; a\\b\nnext") == "Tea\\, cake\\; a\\\\b\\nnext"


def test_long_lines_fold_at_75_octets_without_splitting_a_character():
    line = "SUMMARY:" + "é" * 100
    folded = ical_fold(line)
    parts = folded.split("\r\n")
    assert all(len(part.encode("utf-8")) <= 75 for part in parts)
    assert all(part.startswith(" ") for part in parts[1:])
    assert "".join(part[1:] if index else part for index, part in enumerate(parts)) == line


@override_settings(SITE_URL="https://grants.example.org")
def test_one_event_per_milestone_with_stable_ids_and_utc_times():
    round = RoundFactory(
        title="Loneliness, together; 2027",
        slug="loneliness-2027",
        opens_at=london(2027, 2, 1, 9),
        closes_at=london(2027, 6, 12, 17),
    )
    event = RoundEventFactory(
        round=round, starts_at=london(2027, 3, 1, 10, 30), location="Hall, Abbey Fields"
    )
    text = round_ical(round)
    lines = unfold(text)

    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-2] == "END:VCALENDAR"
    assert lines.count("BEGIN:VEVENT") == 8
    assert f"UID:round-{round.pk}-opens@grants.example.org" in lines
    assert f"UID:round-{round.pk}-event-{event.pk}@grants.example.org" in lines
    # 9am in February is 09:00 UTC; 5pm in June (British Summer Time) is 16:00 UTC.
    assert "DTSTART:20270201T090000Z" in lines
    assert "DTSTART:20270612T160000Z" in lines
    assert f"DTSTART;VALUE=DATE:{round.decisions_by:%Y%m%d}" in lines
    assert "SUMMARY:Loneliness\\, together\\; 2027: Applications close" in lines
    assert "LOCATION:Hall\\, Abbey Fields" in lines
    assert round_ical(round) == text


def test_the_feed_is_served_as_a_calendar_file(client):
    round = RoundFactory(status="scheduled")
    response = client.get(reverse("rounds:round-calendar", args=[round.slug]))
    assert response["Content-Disposition"] == f'attachment; filename="{round.slug}.ics"'
    assert response.content.decode().startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
