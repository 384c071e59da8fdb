"""Registrations: the panel page links to the conflicts register and assignment."""

from __future__ import annotations

from django.urls import reverse

from microcomm.navigation import PageLink, page_link_register
from panels.permissions import shows_panel_work


def register() -> None:
    page_link_register(
        PageLink(
            place="panel",
            label="Assign applications to scorers",
            url=lambda round: reverse("panels:scorecards-assign", kwargs={"slug": round.slug}),
            visible=shows_panel_work,
            order=320,
        )
    )
    page_link_register(
        PageLink(
            place="panel",
            label="Conflicts of interest register",
            url=lambda round: reverse("panels:conflict-register", kwargs={"slug": round.slug}),
            visible=shows_panel_work,
            order=330,
        )
    )
