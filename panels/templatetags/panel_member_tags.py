"""Tags for a panel member's pages and their section of the home page (area B)."""

from __future__ import annotations

from django import template

from microcomm.formatting import pounds
from panels.selectors.members import member_panels

register = template.Library()

register.filter("panel_pounds", pounds)


@register.inclusion_tag("panels/_panel_todo_list.html", takes_context=True)
def panel_member_todo(context: template.Context, heading_level: int = 3) -> dict:
    """`{% panel_member_todo %}`: the person's panels, with what to do on each and by when."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return {
        "panels": member_panels(user=user) if user is not None else [],
        "heading_level": heading_level,
    }
