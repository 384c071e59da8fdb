"""How the statuses of the panel's records show as tags."""

from __future__ import annotations

from microcomm.status_tags import status_tag_register
from panels.models import Decision, PanelMember, Scorecard


def register() -> None:
    status_tag_register(
        PanelMember,
        {
            PanelMember.Status.INVITED: "blue",
            PanelMember.Status.ACTIVE: "green",
            PanelMember.Status.REMOVED: "grey",
        },
    )
    status_tag_register(
        Scorecard,
        {
            Scorecard.Status.NOT_STARTED: "grey",
            Scorecard.Status.IN_PROGRESS: "blue",
            Scorecard.Status.SUBMITTED: "green",
            Scorecard.Status.LOOK_AGAIN: "orange",
        },
    )
    status_tag_register(
        Decision,
        {
            Decision.Status.RECORDED: "blue",
            Decision.Status.APPROVED: "turquoise",
            Decision.Status.RELEASED: "green",
        },
    )
