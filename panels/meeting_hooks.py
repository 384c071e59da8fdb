"""Registrations: the minutes ledger, the panel page's links to moderation and the
meeting, and the members' links to their panel meetings on the home page."""

from __future__ import annotations

from django.urls import reverse

from microcomm.ledger import ledger_register
from microcomm.navigation import PageLink, page_link_register
from microcomm.views import home_section_register
from panels.models import MeetingMinutes
from panels.permissions import shows_panel_work
from panels.tasks import render_meeting_minutes


def register() -> None:
    ledger_register(MeetingMinutes, task=render_meeting_minutes, after_response=True)
    page_link_register(
        PageLink(
            place="panel",
            label="Moderate the scores",
            url=lambda round: reverse("panels:moderation-detail", args=[round.slug]),
            visible=shows_panel_work,
            order=340,
        )
    )
    page_link_register(
        PageLink(
            place="panel",
            label="The panel meeting: ranking and decisions",
            url=lambda round: reverse("panels:meeting-detail", args=[round.slug]),
            visible=shows_panel_work,
            order=350,
        )
    )
    home_section_register(role="panel_member", template="panels/_home_meetings.html")
