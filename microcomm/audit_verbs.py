"""The audit verbs the core records, with the label a timeline shows."""

from __future__ import annotations

from microcomm.audit import register_verbs

VERBS = {
    "user.sign_up": "Created an account",
    "user.confirm_email": "Confirmed their email address",
    "user.reset_password": "Reset their password",
}


def register() -> None:
    register_verbs(VERBS)
