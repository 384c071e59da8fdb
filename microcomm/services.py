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
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from microcomm.audit import audit_record
from microcomm.errors import DomainError
from microcomm.ledger import ledger_queue, ledger_run
from microcomm.models import Notification, OutboundEmail, User
from microcomm.tokens import email_confirmation_token
from microcomm.two_factor import second_factor_on, second_factor_required


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


def email_queue_again(*, series: str, **email: Any) -> OutboundEmail:
    """Queue the next email of a series a person may ask for more than once (a reset link,
    a fresh confirmation): each gets its own key, `<series>:<n>`, so each is sent once."""
    sent = OutboundEmail.objects.filter(key__startswith=f"{series}:").count()
    return email_queue(key=f"{series}:{sent + 1}", **email)


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
    email: bool = True,
    attachment_path: str = "",
    attachment_name: str = "",
) -> Notification | None:
    """Record an in-app notification and, unless ``email`` is False, queue the matching email.

    The email may carry one private file (``attachment_path`` in the default storage), such
    as an interview's calendar entry.

    Once per key: notifying again with the key of an email already queued does nothing
    and returns None.
    """
    if email and OutboundEmail.objects.filter(key=key).exists():
        return None
    # The message's template can always link to the page the notification opens.
    context = {"link": link, **(context or {})}
    body = render_to_string(
        f"{template}.txt",
        {"scheme_name": settings.SCHEME_NAME, "site_url": settings.SITE_URL, **context},
    )
    notification = Notification.objects.create(user=user, subject=subject, body=body, link=link)
    if email:
        email_queue(
            key=key,
            to=user.email,
            subject=subject,
            template=template,
            context=context,
            attachment_path=attachment_path,
            attachment_name=attachment_name,
        )
    return notification


def _confirmation_link(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = email_confirmation_token.make_token(user)
    path = reverse("microcomm:email-confirm", kwargs={"uidb64": uid, "token": token})
    return f"{settings.SITE_URL}{path}"


@transaction.atomic
def user_sign_up(*, email: str, full_name: str, password: str) -> User | None:
    """Create an applicant's account and send the email that confirms the address.

    The account cannot sign in until the address is confirmed. When the address already
    has an account, nothing is created and its owner is emailed instead (a new
    confirmation link if they never confirmed), so the page that follows is the same
    either way and does not reveal who has an account. Returns the new account, or None.
    """
    email = User.objects.normalize_email(email).strip().lower()
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None:
        if not existing.email_confirmed:
            user_resend_confirmation(user=existing)
        elif existing.is_active:
            email_queue_again(
                series=f"sign-up-existing:{existing.pk}",
                to=existing.email,
                subject=f"You already have an account with {settings.SCHEME_NAME}",
                template="email/sign_up_existing",
                context={
                    "user": existing,
                    "sign_in_link": f"{settings.SITE_URL}{reverse('microcomm:sign-in')}",
                    "reset_link": f"{settings.SITE_URL}{reverse('microcomm:password-reset')}",
                },
            )
        return None
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
    return email_queue_again(
        series=f"sign-up-confirm:{user.pk}",
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
        return email_queue_again(
            series=f"password-reset:{user.pk}",
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


# Two-step sign-in --------------------------------------------------------------------

RECOVERY_CODE_COUNT = 10


def _recovery_codes_replace(user: User) -> list[str]:
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name="Recovery codes", defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def user_second_factor_start(*, user: User) -> TOTPDevice:
    """The authenticator app this person is setting up: the one begun before, or a new one."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    return device


@transaction.atomic
def user_second_factor_confirm(*, user: User, device: TOTPDevice, code: str) -> list[str]:
    """Turn two-step sign-in on once the app shows a right code; returns new recovery codes.

    Any app set up before stops working, and so do old recovery codes.
    """
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user)
    if device.confirmed:
        raise DomainError("This app is already set up", field="code")
    if not device.verify_token(code):
        raise DomainError("Enter the 6-digit code your authenticator app shows now", field="code")
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    codes = _recovery_codes_replace(user)
    audit_record(actor=user, verb="user.second_factor_on", target=user)
    return codes


@transaction.atomic
def user_recovery_codes_renew(*, user: User) -> list[str]:
    """New recovery codes for someone who uses two-step sign-in; the old ones stop working."""
    if not second_factor_on(user):
        raise DomainError("Turn on two-step sign-in first")
    codes = _recovery_codes_replace(user)
    audit_record(actor=user, verb="user.recovery_codes_renew", target=user)
    return codes


@transaction.atomic
def user_second_factor_turn_off(*, user: User) -> User:
    """Stop asking this person for a code; admins and commissioners cannot."""
    if second_factor_required(user):
        raise DomainError(
            "Admins and commissioners must use two-step sign-in, so you cannot turn it off"
        )
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    audit_record(actor=user, verb="user.second_factor_off", target=user)
    return user


def notifications_mark_read(*, user: User) -> int:
    """Mark every unread in-app message of this person as read."""
    return Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
