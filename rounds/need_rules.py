"""What stops a need moving along its lifecycle, beyond Need.TRANSITIONS: a pure rule."""

from __future__ import annotations

from rounds.models import Need


def need_move_guard(need: Need, to: str) -> str:
    """A need merged into another stays where it is: changes go to the need it joined."""
    if need.merged_into_id:
        return f"This need was merged into “{need.merged_into}”. Change that need instead"
    return ""
