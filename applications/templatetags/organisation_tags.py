"""The applicant's home panel for their groups and the documents that need attention."""

from __future__ import annotations

from typing import Any

from django import template

from applications.selectors.organisations import (
    documents_needing_attention,
    expiry_flag,
    organisations_of_user,
)

register = template.Library()


@register.inclusion_tag("applications/organisations/_home_panel.html", takes_context=True)
def applicant_groups_panel(context: template.Context) -> dict[str, Any]:
    user = context["request"].user
    return {
        "memberships": organisations_of_user(user=user),
        "attention": [
            (document, expiry_flag(document)) for document in documents_needing_attention(user=user)
        ],
    }
