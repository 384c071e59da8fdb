"""Tags for the panel packs' line on a panel member's home page (area E)."""

from __future__ import annotations

from django import template

from panels.models import Panel
from panels.permissions import PANELS

register = template.Library()


@register.simple_tag(takes_context=True)
def member_pack_panels(context: template.Context) -> list[Panel]:
    """`{% member_pack_panels as panels %}`: the panels the person sits on, for their packs."""
    user = getattr(context.get("request"), "user", None)
    if user is None:
        return []
    return list(PANELS.involved(user).select_related("round").order_by("round__title").distinct())
