"""Registrations: the pack ledger, links on the panel page and on the group's
application page, the feedback a group sees when it applies again, the panel members'
packs on their home page, the demo."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from applications.previous_feedback import previous_feedback_register
from microcomm.demo import demo_register
from microcomm.ledger import ledger_register
from microcomm.navigation import PageLink, page_link_register
from microcomm.permissions import is_member
from microcomm.status_tags import status_tag_register
from microcomm.views import home_section_register
from panels.demo import demo_seed_panel
from panels.models import Decision, InterviewInvitation, PanelPack
from panels.permissions import shows_panel_work
from panels.selectors.feedback import previous_feedback
from panels.tasks import render_panel_pack


def _group_sees_decision(user: Any, application: Any) -> bool:
    if user is None or not getattr(application, "reference", None):
        return False
    return is_member(user, application.organisation) and (
        Decision.objects.filter(application=application, status=Decision.Status.RELEASED).exists()
    )


def _group_invited(user: Any, application: Any) -> bool:
    if user is None or not getattr(application, "reference", None):
        return False
    return is_member(user, application.organisation) and (
        InterviewInvitation.objects.filter(application=application).exists()
    )


def register() -> None:
    ledger_register(PanelPack, task=render_panel_pack, after_response=True)
    status_tag_register(
        PanelPack,
        {"queued": "blue", "running": "blue", "done": "green", "failed": "red"},
    )
    previous_feedback_register(previous_feedback)
    page_link_register(
        PageLink(
            place="panel",
            label="Feedback and releasing decisions",
            url=lambda round: reverse("panels:feedback-list", args=[round.slug]),
            visible=shows_panel_work,
            order=60,
        )
    )
    page_link_register(
        PageLink(
            place="panel",
            label="Interviews",
            url=lambda round: reverse("panels:interview-list", args=[round.slug]),
            visible=shows_panel_work,
            order=61,
        )
    )
    page_link_register(
        PageLink(
            place="panel",
            label="Panel packs",
            url=lambda round: reverse("panels:pack-members", args=[round.slug]),
            visible=shows_panel_work,
            order=62,
        )
    )
    page_link_register(
        PageLink(
            place="application",
            label="The panel’s decision and feedback",
            url=lambda application: reverse("panels:decision-detail", args=[application.reference]),
            visible=_group_sees_decision,
            order=10,
        )
    )
    page_link_register(
        PageLink(
            place="application",
            label="Choose a time for your interview",
            url=lambda application: reverse("panels:interview-book", args=[application.reference]),
            visible=_group_invited,
            order=20,
        )
    )
    home_section_register(role="panel_member", template="panels/_home_packs.html")
    demo_register(demo_seed_panel)
