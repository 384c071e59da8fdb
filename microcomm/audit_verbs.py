"""The audit verbs the core records, with the label a timeline shows."""

from __future__ import annotations

VERBS = {
    "user.sign_up": "Created an account",
    "user.confirm_email": "Confirmed their email address",
    "user.reset_password": "Reset their password",
    "user.second_factor_on": "Turned on two-step sign-in",
    "user.second_factor_off": "Turned off two-step sign-in",
    "user.recovery_codes_renew": "Made new recovery codes",
}
