"""The quick log panel on a link worker's home page."""

from __future__ import annotations

from typing import Any

from django import template

from rounds.forms.needs import QuickLogForm
from rounds.models import Need
from rounds.permissions import can_log_need
from rounds.selectors.needs import quick_log_recent

register = template.Library()


@register.inclusion_tag("rounds/needs/_quick_log_panel.html", takes_context=True)
def quick_log_panel(context: template.Context, form: QuickLogForm | None = None) -> dict[str, Any]:
    """The quick log form and the person's latest logs with each need's running count."""
    request = context["request"]
    user = request.user
    allowed = can_log_need(user)
    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "can_log": allowed,
        "form": form or QuickLogForm(auto_id="quick-log-%s"),
        "recent": list(quick_log_recent(user=user)) if allowed else [],
    }


EVENT_LABELS = {
    "need.create": "Recorded",
    "need.signal": "Logged again",
    "need.update": "Edited",
    "need.link_priority": "Linked to a priority",
    "need.unlink_priority": "Unlinked from its priority",
    "need.open": "Opened again",
    "need.being_addressed": "Marked as being addressed",
    "need.met": "Marked as met",
    "need.closed": "Closed",
    "need.merge": "Merged into another need",
    "need.merge_in": "Another need was merged into this one",
}


@register.filter
def need_event_label(verb: str) -> str:
    """A plain English heading for an audit event on a need."""
    return EVENT_LABELS.get(verb, verb)


@register.filter
def need_status_label(status: str) -> str:
    try:
        return Need.Status(status).label
    except ValueError:
        return status
