"""Home page panels for the public side of rounds, and how money and deadlines read."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django import template
from django.utils import timezone

from rounds.eligibility import money
from rounds.models import SupportRequest
from rounds.permissions import can_handle_support_requests
from rounds.selectors.public import rounds_open_to_apply, support_requests_for_home

register = template.Library()


@register.filter
def pounds(amount: Decimal | None) -> str:
    """£1,000 for whole pounds, £1,000.50 otherwise."""
    return "" if amount is None else money(Decimal(amount))


def _clock(moment: datetime.datetime) -> str:
    if moment.hour == 0 and moment.minute == 0:
        return "midnight"
    if moment.hour == 12 and moment.minute == 0:
        return "midday"
    hour = moment.hour % 12 or 12
    suffix = "am" if moment.hour < 12 else "pm"
    minutes = f":{moment.minute:02d}" if moment.minute else ""
    return f"{hour}{minutes}{suffix}"


@register.filter
def deadline(moment: datetime.datetime | None) -> str:
    """A moment as people in England read it: "5pm on 12 March 2027"."""
    if moment is None:
        return ""
    local = timezone.localtime(moment)
    return f"{_clock(local)} on {local.day} {local:%B %Y}"


@register.filter
def help_labels(codes: list[str]) -> list[str]:
    labels = dict(SupportRequest.Help.choices)
    return [labels.get(code, code) for code in codes or []]


@register.inclusion_tag("rounds/public/_support_panel.html", takes_context=True)
def support_requests_panel(context: template.Context) -> dict[str, Any]:
    """New requests for help to apply, and the ones given to this link worker."""
    user = context["request"].user
    allowed = can_handle_support_requests(user)
    return {
        "allowed": allowed,
        "requests": support_requests_for_home(user=user) if allowed else [],
        "user": user,
    }


@register.inclusion_tag("rounds/public/_applicant_panel.html")
def applicant_rounds_panel() -> dict[str, Any]:
    """The rounds open now, with a way to ask for help to apply."""
    return {"rounds": rounds_open_to_apply()}
