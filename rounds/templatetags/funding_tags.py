"""Template filters and tags for funds and rounds: dates in words, money, the home panel."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms, template
from django.utils import timezone

from microcomm.formatting import london_datetime, pounds
from microcomm.templatetags.govuk_forms import govuk_error_summary_items
from rounds import permissions
from rounds.models import Round
from rounds.selectors.funding import Milestone, round_milestones, rounds_needing_attention

register = template.Library()

register.filter("london_datetime", london_datetime)
register.filter("pounds", pounds)


@register.filter
def can_manage_funding(user: Any) -> bool:
    """`{% if request.user|can_manage_funding %}`; False for anything that is not a user."""
    if not hasattr(user, "is_authenticated"):
        return False
    return bool(permissions.can_manage_funding(user))


@register.filter
def milestones(round: Round) -> list[Milestone]:
    return round_milestones(round)


@register.filter
def milestone_passed(milestone: Milestone) -> bool:
    """Whether the milestone is in the past (a whole-day one once its day is over)."""
    now = timezone.now()
    if isinstance(milestone.when, datetime.datetime):
        return milestone.when <= now
    return milestone.when < timezone.localdate(now, timezone.get_default_timezone())


@register.simple_tag
def funding_error_items(*forms_and_formsets: Any) -> list[dict[str, str]]:
    """Error summary lines for several forms and formsets, in page order."""
    items: list[dict[str, str]] = []
    for thing in forms_and_formsets:
        if isinstance(thing, forms.BaseFormSet):
            items += [{"message": message, "href": ""} for message in thing.non_form_errors()]
            for form in thing.forms:
                items += govuk_error_summary_items(form)
        elif thing:
            items += govuk_error_summary_items(thing)
    return items


@register.inclusion_tag("rounds/funding/_home_panel.html", takes_context=True)
def funding_home_panel(context: template.Context) -> dict[str, object]:
    """Rounds that need a commissioner's attention now; nothing for anyone else."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not permissions.can_manage_funding(user):
        return {"can_manage": False}
    return {"can_manage": True, "attention": rounds_needing_attention(), "request": request}
