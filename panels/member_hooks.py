"""Registrations: the round page links to its panel; members get a home section."""

from __future__ import annotations

from django.urls import reverse

from microcomm.navigation import PageLink, page_link_register
from microcomm.views import home_section_register
from panels.permissions import can_manage_panels


def register() -> None:
    page_link_register(
        PageLink(
            place="round",
            label="The panel and its members",
            url=lambda round: reverse("panels:panel-detail", args=[round.slug]),
            visible=lambda user, round: user is not None and can_manage_panels(user),
            order=30,
        )
    )
    home_section_register(role="panel_member", template="panels/_home_panel_member.html")
