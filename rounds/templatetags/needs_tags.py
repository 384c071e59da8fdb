"""The quick log panel on a link worker's home page."""

from __future__ import annotations

from typing import Any

from django import template

from rounds.forms.needs import QuickLogForm
from rounds.models import NeedSignal
from rounds.permissions import can_change_need_signal, can_log_need
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


@register.filter(name="can_change_need_signal")
def can_change_need_signal_filter(user: Any, signal: NeedSignal) -> bool:
    """`{% if request.user|can_change_need_signal:signal %}`: may move or delete this log."""
    return hasattr(user, "is_authenticated") and bool(can_change_need_signal(user, signal))
