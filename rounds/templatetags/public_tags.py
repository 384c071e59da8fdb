"""Home page panels for the public side of rounds, and how money and deadlines read."""

from __future__ import annotations

from typing import Any

from django import template

from microcomm.formatting import london_datetime, pounds
from rounds.models import SupportRequest
from rounds.permissions import can_handle_support_requests
from rounds.round_hooks import round_parts
from rounds.selectors.public import rounds_open_to_apply, support_requests_for_home

register = template.Library()


register.filter("pounds", pounds)
register.filter("deadline", london_datetime)


@register.simple_tag(name="round_parts")
def round_parts_tag(round: Any) -> list[dict[str, Any]]:
    """`{% round_parts round as parts %}`: the sections later apps add to the public page."""
    return round_parts(round)


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
