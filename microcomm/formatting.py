"""How the product writes money, moments and counts for people: "£1,000",
"5pm on 12 March 2027", "1 service".

One place, so that a deadline reads the same on a page, in an email and in a PDF.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone


def pounds(amount: Decimal | int | str | None) -> str:
    """£1,000 for whole pounds, £1,000.50 otherwise; '' for no amount."""
    if amount is None or amount == "":
        return ""
    amount = Decimal(amount)
    if amount == amount.to_integral_value():
        return f"£{amount:,.0f}"
    return f"£{amount:,.2f}"


def clock_words(moment: datetime.datetime | datetime.time) -> str:
    """ "5pm", "10:30am", "midday", "midnight"."""
    if moment.minute == 0 and moment.hour in (0, 12):
        return "midnight" if moment.hour == 0 else "midday"
    hour = moment.hour % 12 or 12
    half = "am" if moment.hour < 12 else "pm"
    minutes = f":{moment.minute:02d}" if moment.minute else ""
    return f"{hour}{minutes}{half}"


def london_datetime(value: Any) -> str:
    """ "5pm on 12 March 2027" for an aware datetime, read in Europe/London;
    "12 March 2027" for a date; '' for anything else."""
    if isinstance(value, datetime.datetime):
        local = timezone.localtime(value, timezone.get_default_timezone())
        return f"{clock_words(local)} on {local.day} {local:%B %Y}"
    if isinstance(value, datetime.date):
        return f"{value.day} {value:%B %Y}"
    return ""


def london_date(value: Any) -> str:
    """ "12 March 2027" for a date, or for an aware datetime read in Europe/London."""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value, timezone.get_default_timezone()).date()
    if isinstance(value, datetime.date):
        return f"{value.day} {value:%B %Y}"
    return ""


def london_time(value: Any) -> str:
    """ "5pm" or "10:30am" for an aware datetime, read in Europe/London; '' otherwise."""
    if isinstance(value, datetime.datetime):
        return clock_words(timezone.localtime(value, timezone.get_default_timezone()))
    return ""


def counted(number: int, singular: str, plural: str = "") -> str:
    """ "1 service", "2 services", "0 services"; pass `plural` when adding "s" is wrong."""
    return f"{number} {singular if number == 1 else plural or singular + 's'}"
