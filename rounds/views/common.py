"""What the rounds app's commissioner pages share."""

from __future__ import annotations

from django.http import HttpRequest

from microcomm.http import authorize
from rounds import permissions
from rounds.models import Round


def round_managed(request: HttpRequest, round: Round | None) -> Round:
    """The round for a commissioner: a draft is hidden from others, a published one refused."""
    authorize(
        request,
        can_see=permissions.ROUNDS.allows(request.user, round),
        can_do=permissions.can_manage_funding(request.user),
    )
    return round
