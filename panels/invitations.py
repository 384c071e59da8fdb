"""The signed link that lets a person invited to a panel set a password and join.

The link names the seat and carries a fingerprint of the seat's and the person's state
(status, when they joined, their password, their last sign-in). Joining changes all of
these, so a link works once; it also stops working after ``VALID_DAYS``.
"""

from __future__ import annotations

from django.core import signing
from django.utils.crypto import constant_time_compare, salted_hmac

from panels.models import PanelMember

VALID_DAYS = 14
_SALT = "panels.invitations.panel_member"


def _fingerprint(member: PanelMember) -> str:
    user = member.user
    state = (
        f"{member.pk}|{member.status}|{member.joined_at}|{user.password}|"
        f"{user.last_login}|{user.is_active}"
    )
    return salted_hmac(_SALT, state, algorithm="sha256").hexdigest()[:32]


def invitation_token(member: PanelMember) -> str:
    """The token of the member's invitation link, as it stands now."""
    return signing.dumps([member.pk, _fingerprint(member)], salt=_SALT, compress=True)


def invitation_member_id(token: str) -> int | None:
    """The seat a token names, when it is signed by us and younger than ``VALID_DAYS``."""
    try:
        member_id, _ = signing.loads(token, salt=_SALT, max_age=VALID_DAYS * 24 * 60 * 60)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    return member_id if isinstance(member_id, int) else None


def invitation_token_matches(member: PanelMember, token: str) -> bool:
    """Whether the token is the seat's current one: not used, not expired, not forged."""
    try:
        member_id, fingerprint = signing.loads(token, salt=_SALT, max_age=VALID_DAYS * 24 * 60 * 60)
    except (signing.BadSignature, ValueError, TypeError):
        return False
    return member_id == member.pk and constant_time_compare(fingerprint, _fingerprint(member))
