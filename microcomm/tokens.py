"""Signed, expiring tokens for email confirmation links."""

from django.contrib.auth.tokens import PasswordResetTokenGenerator


class EmailConfirmationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "microcomm.tokens.EmailConfirmationTokenGenerator"

    def _make_hash_value(self, user, timestamp: int) -> str:  # type: ignore[no-untyped-def]
        # Confirming changes email_confirmed_at, which makes the link single-use.
        return f"{user.pk}{user.email}{user.email_confirmed_at}{timestamp}"


email_confirmation_token = EmailConfirmationTokenGenerator()
