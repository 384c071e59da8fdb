"""Every write to the core: people, audit events, notifications and email."""

from __future__ import annotations

import mimetypes
from typing import Any

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.files.storage import default_storage
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from microcomm.audit import audit_record
from microcomm.errors import DomainError
from microcomm.ledger import ledger_queue, ledger_run
from microcomm.models import Notification, OutboundEmail, User
from microcomm.tokens import email_confirmation_token


def email_queue(
    *,
    key: str,
    to: str,
    subject: str,
    template: str,
    context: dict[str, Any] | None = None,
    attachment_path: str = "",
    attachment_name: str = "",
) -> OutboundEmail:
    """Record an email in the ledger and send it after the transaction commits.

    The key makes it happen once: queueing the same key again returns the existing row.
    """
    full_context = {"scheme_name": settings.SCHEME_NAME, "site_url": settings.SITE_URL}
    full_context.update(context or {})
    return ledger_queue(
        OutboundEmail(
            key=key,
            to=to,
            subject=subject,
            body_text=render_to_string(f"{template}.txt", full_context),
            attachment_path=attachment_path,
            attachment_name=attachment_name,
        )
    )


def _email_send(email: OutboundEmail) -> None:
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.to],
    )
    if email.attachment_path:
        with default_storage.open(email.attachment_path, "rb") as attachment:
            message.attach(
                email.attachment_name or email.attachment_path.rsplit("/", 1)[-1],
                attachment.read(),
                mimetypes.guess_type(email.attachment_path)[0] or "application/octet-stream",
            )
    message.send()


def email_deliver(*, email_id: int) -> OutboundEmail:
    """Send one queued email once; a failure is kept and tried again by the ledger's sweep."""
    return ledger_run(OutboundEmail, pk=email_id, work=_email_send)


def notify(
    *,
    user: User,
    subject: str,
    template: str,
    context: dict[str, Any] | None = None,
    link: str = "",
    key: str,
) -> Notification:
    """Record an in-app notification and queue the matching email."""
    body = render_to_string(
        f"{template}.txt",
        {"scheme_name": settings.SCHEME_NAME, "site_url": settings.SITE_URL, **(context or {})},
    )
    notification = Notification.objects.create(user=user, subject=subject, body=body, link=link)
    email_queue(key=key, to=user.email, subject=subject, template=template, context=context)
    return notification


def _confirmation_link(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = email_confirmation_token.make_token(user)
    path = reverse("microcomm:email-confirm", kwargs={"uidb64": uid, "token": token})
    return f"{settings.SITE_URL}{path}"


@transaction.atomic
def user_sign_up(*, email: str, full_name: str, password: str) -> User:
    """Create an applicant's account and send the email that confirms the address.

    The account cannot sign in until the address is confirmed.
    """
    email = User.objects.normalize_email(email).strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise DomainError(
            "An account with this email address already exists. Sign in or reset your password",
            field="email",
        )
    user = User.objects.create_user(
        email=email, password=password, full_name=full_name.strip(), is_active=True
    )
    audit_record(actor=user, verb="user.sign_up", target=user)
    email_queue(
        key=f"sign-up-confirm:{user.pk}",
        to=user.email,
        subject=f"Confirm your email address for {settings.SCHEME_NAME}",
        template="email/sign_up_confirm",
        context={"user": user, "link": _confirmation_link(user)},
    )
    return user


@transaction.atomic
def user_resend_confirmation(*, user: User) -> OutboundEmail | None:
    """Send a fresh confirmation link to someone who has not confirmed yet."""
    if user.email_confirmed:
        return None
    count = OutboundEmail.objects.filter(key__startswith=f"sign-up-confirm:{user.pk}").count()
    return email_queue(
        key=f"sign-up-confirm:{user.pk}:{count}",
        to=user.email,
        subject=f"Confirm your email address for {settings.SCHEME_NAME}",
        template="email/sign_up_confirm",
        context={"user": user, "link": _confirmation_link(user)},
    )


@transaction.atomic
def user_confirm_email(*, user: User, token: str) -> User:
    """Mark the address confirmed when the token from the email is valid."""
    if user.email_confirmed:
        return user
    if not email_confirmation_token.check_token(user, token):
        raise DomainError("This link has expired or has already been used")
    user.email_confirmed_at = timezone.now()
    user.save(update_fields=["email_confirmed_at"])
    audit_record(actor=user, verb="user.confirm_email", target=user)
    return user


def user_request_password_reset(*, email: str) -> OutboundEmail | None:
    """Email a reset link if an active account has this address; say nothing otherwise."""
    user = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
    if user is None:
        return None
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("microcomm:password-reset-confirm", kwargs={"uidb64": uid, "token": token})
    with transaction.atomic():
        count = OutboundEmail.objects.filter(key__startswith=f"password-reset:{user.pk}:").count()
        return email_queue(
            key=f"password-reset:{user.pk}:{count}",
            to=user.email,
            subject=f"Reset your password for {settings.SCHEME_NAME}",
            template="email/password_reset",
            context={"user": user, "link": f"{settings.SITE_URL}{path}"},
        )


@transaction.atomic
def user_set_password(*, user: User, password: str) -> User:
    """Set a new password from a reset link; the link stops working once used."""
    user.set_password(password)
    if not user.email_confirmed:
        # Receiving the reset email proves the address.
        user.email_confirmed_at = timezone.now()
    user.save(update_fields=["password", "email_confirmed_at"])
    audit_record(actor=user, verb="user.reset_password", target=user)
    return user


def notifications_mark_read(*, user: User) -> int:
    """Mark every unread in-app message of this person as read."""
    return Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
