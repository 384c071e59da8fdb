"""What the meeting's minutes read: the decisions with who was present, and their state."""

from __future__ import annotations

from typing import Any

from panels.models import Criterion, Decision, MeetingMinutes, Panel


def minutes_decisions(*, panel: Panel) -> list[Decision]:
    """The panel's decisions for the minutes, in reference order, with who was present
    and, as ``criteria_against_names``, the criteria that weighed against a decline."""
    names = dict(
        Criterion.objects.filter(rubric__round_id=panel.round_id).values_list("pk", "name")
    )
    decisions = list(
        Decision.objects.filter(application__round_id=panel.round_id)
        .select_related("application__organisation", "decided_by")
        .prefetch_related("members_present__user")
        .order_by("application__reference", "application_id")
    )
    for decision in decisions:
        decision.criteria_against_names = [
            names[pk] for pk in decision.criteria_against if pk in names
        ]
    return decisions


def minutes_latest(*, panel: Panel) -> dict[str, Any] | None:
    """The newest minutes' version, status in words and error, from panel_for_meeting."""
    latest = getattr(panel, "newest_minutes", None)
    if not isinstance(latest, dict):
        return None
    labels = dict(MeetingMinutes._meta.get_field("status").choices)
    return {
        "version": latest["version"],
        "status": latest["status"],
        "label": labels.get(latest["status"], latest["status"]),
        "error": latest["error"],
    }


def minutes_latest_ready(*, panel: Panel) -> MeetingMinutes | None:
    return (
        panel.minutes.filter(status=MeetingMinutes.Status.DONE)
        .exclude(file="")
        .order_by("-version")
        .first()
    )
