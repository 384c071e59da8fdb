"""What stops a round moving along its lifecycle, beyond Round.TRANSITIONS: pure rules.

The lifecycle's guard when a round moves, and what the round's page says beside a move
it cannot make yet. Reads the round and the clock; writes nothing.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from rounds.models import Round
from rounds.round_hooks import round_move_checks


def round_move_problem(*, round: Round, to: str, now: datetime.datetime | None = None) -> str:
    """Why the round cannot move to `to` now, or '' when nothing but the table stands in the way."""
    now = now or timezone.now()
    if to in (Round.Status.SCHEDULED, Round.Status.OPEN) and round.form_published_at is None:
        return "Publish the application form before you schedule or open the round"
    if to == Round.Status.SCHEDULED and round.opens_at <= now:
        return "The opening date has passed. Change it to a date in the future, then schedule"
    if to == Round.Status.OPEN and round.closes_at <= now:
        return "The closing date has passed. Change it to a date in the future, then open"
    if to in (Round.Status.SCHEDULED, Round.Status.OPEN):
        return round_move_checks(round, to)
    return ""


def round_move_guard(round: Round, to: str) -> str:
    """`round_move_problem` in the shape the lifecycle takes for a guard."""
    return round_move_problem(round=round, to=to)


def round_open_at(*, round: Round, moment: datetime.datetime) -> bool:
    """Whether the round took applications at `moment`, which may be in the past.

    Opening or closing early moves the stated times, so a round that has opened took
    applications between its opening and closing times.
    """
    if round.status in (Round.Status.DRAFT, Round.Status.SCHEDULED):
        return round.status_at(moment) == Round.Status.OPEN
    return round.opens_at <= moment < round.closes_at
