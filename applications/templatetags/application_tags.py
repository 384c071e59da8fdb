"""The applicant's home panel of applications to finish."""

from __future__ import annotations

from typing import Any

from django import template

from applications.selectors.applying import applications_to_finish

register = template.Library()


@register.inclusion_tag("applications/applying/_home_panel.html", takes_context=True)
def applicant_applications_panel(context: template.Context) -> dict[str, Any]:
    return {"applications": list(applications_to_finish(user=context["request"].user))}
