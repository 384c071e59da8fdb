"""The link worker's home panel: the applications they help groups with."""

from __future__ import annotations

from typing import Any

from django import template

from applications.permissions import can_start_assisted_application
from applications.selectors.applying import applications_assisted_by

register = template.Library()


@register.inclusion_tag("applications/applying/_home_assisting.html", takes_context=True)
def link_worker_assisting_panel(context: template.Context) -> dict[str, Any]:
    user = context["request"].user
    allowed = can_start_assisted_application(user)
    return {
        "allowed": allowed,
        "applications": list(applications_assisted_by(user=user)) if allowed else [],
    }
