"""Template tags for the gap analysis: the largest gaps panel on the commissioner home page."""

from __future__ import annotations

from django import template

from rounds import permissions
from rounds.selectors.gaps import gaps_largest

register = template.Library()


@register.inclusion_tag("rounds/gaps/_home_panel.html", takes_context=True)
def gaps_home_panel(context: template.Context, limit: int = 5) -> dict[str, object]:
    """The largest gaps for a person who may see them; nothing for anyone else."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not permissions.can_view_gaps(user):
        return {"can_view": False}
    return {"can_view": True, "request": request, "largest": gaps_largest(limit=limit)}
