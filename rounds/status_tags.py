"""How the statuses of needs, services, rounds, imports and requests for help show as tags."""

from __future__ import annotations

from microcomm.status_tags import status_tag_register
from rounds.models import DirectoryImport, Need, Round, Service, SupportRequest


def _need_status(need: Need) -> str:
    return "merged" if need.merged_into_id else need.status


def _round_status(round: Round) -> str:
    return round.current_status


def _round_public_status(round: Round) -> str:
    status = round.current_status
    return status if status in (Round.Status.OPEN, Round.Status.SCHEDULED) else "closed"


def _support_request_label(support_request: SupportRequest, status: str) -> str:
    if status == SupportRequest.Status.ASSIGNED:
        return f"With {support_request.assigned_to or 'someone'}"
    return SupportRequest.Status(status).label


def register() -> None:
    status_tag_register(
        Need,
        {
            Need.Status.OPEN: "blue",
            Need.Status.BEING_ADDRESSED: "yellow",
            Need.Status.MET: "green",
            Need.Status.CLOSED: "grey",
            "merged": "grey",
        },
        labels={"merged": "Merged"},
        status=_need_status,
    )
    status_tag_register(
        Service,
        {
            Service.Status.PROPOSED: "blue",
            Service.Status.ACTIVE: "green",
            Service.Status.PAUSED: "yellow",
            Service.Status.CLOSED: "grey",
        },
    )
    status_tag_register(
        Round,
        {
            Round.Status.DRAFT: "grey",
            Round.Status.SCHEDULED: "light-blue",
            Round.Status.OPEN: "green",
            Round.Status.CLOSED: "orange",
            Round.Status.ASSESSMENT: "purple",
            Round.Status.DECIDED: "blue",
            Round.Status.MONITORING: "yellow",
            Round.Status.COMPLETED: "grey",
        },
        status=_round_status,
    )
    # What the public sees: a round is open, opening soon or closed.
    status_tag_register(
        Round,
        {Round.Status.OPEN: "green", Round.Status.SCHEDULED: "blue", "closed": "grey"},
        variant="public",
        labels={Round.Status.SCHEDULED: "Opening soon", "closed": "Closed"},
        status=_round_public_status,
    )
    status_tag_register(
        SupportRequest,
        {
            SupportRequest.Status.NEW: "blue",
            SupportRequest.Status.ASSIGNED: "yellow",
            SupportRequest.Status.CLOSED: "grey",
        },
        label=_support_request_label,
    )
    status_tag_register(
        DirectoryImport,
        {
            DirectoryImport.Status.QUEUED: "blue",
            DirectoryImport.Status.RUNNING: "blue",
            DirectoryImport.Status.DONE: "green",
            DirectoryImport.Status.FAILED: "red",
        },
    )
