import re

import pytest
from django.core import mail

from microcomm import services
from microcomm.errors import DomainError
from microcomm.models import AuditEvent, OutboundEmail, User
from tests.microcomm.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _link_from(message) -> str:
    return re.search(r"https?://\S+", message.body).group(0)


def test_sign_up_creates_an_unconfirmed_account_and_emails_a_link():
    user = services.user_sign_up(
        email="Chair@Example.org", full_name="  Dee Lowe ", password="a-long-test-password"
    )
    assert user.email == "chair@example.org"
    assert user.full_name == "Dee Lowe"
    assert not user.email_confirmed
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["chair@example.org"]
    assert "/confirm-email/" in _link_from(mail.outbox[0])
    assert OutboundEmail.objects.get().status == OutboundEmail.Status.DONE
    assert AuditEvent.objects.filter(verb="user.sign_up").count() == 1


def test_sign_up_with_an_existing_email_creates_nothing_and_emails_the_owner():
    owner = UserFactory(email="taken@example.org", full_name="Tess Owner")
    result = services.user_sign_up(
        email="TAKEN@example.org", full_name="Someone", password="someone-elses-password"
    )
    assert result is None
    assert User.objects.count() == 1
    owner.refresh_from_db()
    assert owner.full_name == "Tess Owner"
    assert not owner.check_password("someone-elses-password")
    sent = OutboundEmail.objects.get(to="taken@example.org")
    assert sent.subject.startswith("You already have an account")


def test_sign_up_with_an_unconfirmed_existing_email_sends_a_new_confirmation_link():
    UserFactory(email="waiting@example.org", email_confirmed_at=None)
    services.user_sign_up(
        email="waiting@example.org", full_name="Someone", password="a-long-test-password"
    )
    sent = OutboundEmail.objects.get(to="waiting@example.org")
    assert sent.subject.startswith("Confirm your email address")
    assert User.objects.count() == 1


def test_confirmation_token_works_once():
    user = services.user_sign_up(
        email="new@example.org", full_name="New Person", password="a-long-test-password"
    )
    token = _link_from(mail.outbox[0]).rstrip("/").split("/")[-1]
    services.user_confirm_email(user=user, token=token)
    user.refresh_from_db()
    assert user.email_confirmed
    other = UserFactory(email_confirmed_at=None)
    with pytest.raises(DomainError):
        services.user_confirm_email(user=other, token=token)


def test_email_with_the_same_key_is_sent_once():
    for _ in range(2):
        services.email_queue(
            key="once",
            to="a@example.org",
            subject="Hello",
            template="email/password_reset",
            context={"user": UserFactory(), "link": "http://x"},
        )
    assert len(mail.outbox) == 1
    assert OutboundEmail.objects.count() == 1


def test_deliver_does_not_resend_a_sent_email():
    email = services.email_queue(
        key="k",
        to="a@example.org",
        subject="Hi",
        template="email/password_reset",
        context={"user": UserFactory(), "link": "http://x"},
    )
    services.email_deliver(email_id=email.pk)
    assert len(mail.outbox) == 1


def test_password_reset_for_unknown_address_sends_nothing():
    assert services.user_request_password_reset(email="nobody@example.org") is None
    assert mail.outbox == []


def test_password_reset_sends_a_link_to_a_known_address():
    user = UserFactory(email="known@example.org")
    services.user_request_password_reset(email="KNOWN@example.org")
    assert mail.outbox[0].to == [user.email]
    assert "/password-reset/" in _link_from(mail.outbox[0])


def test_failed_delivery_stays_queued_for_the_sweep(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = 9  # nothing listens on the discard port here
    email = services.email_queue(
        key="smtp-down",
        to="a@example.org",
        subject="Hi",
        template="email/password_reset",
        context={"user": UserFactory(), "link": "http://x"},
    )
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.QUEUED
    assert email.attempts == 1
    assert email.last_error


def test_email_carries_its_private_attachment(settings, tmp_path):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    path = default_storage.save("applications/copy.pdf", ContentFile(b"%PDF-1.7 test"))
    services.email_queue(
        key="with-attachment",
        to="a@example.org",
        subject="Your application",
        template="email/password_reset",
        context={"user": UserFactory(), "link": "http://x"},
        attachment_path=path,
        attachment_name="MC-2026-0001.pdf",
    )
    ((name, content, mimetype),) = mail.outbox[0].attachments
    assert name == "MC-2026-0001.pdf"
    assert content == b"%PDF-1.7 test"
    assert mimetype == "application/pdf"


def test_a_fresh_confirmation_is_numbered_by_its_own_account_only():
    """Resends are counted per account: account 55's emails do not number account 5's."""
    five = UserFactory(pk=5, email="five@example.org", email_confirmed_at=None)
    fifty_five = UserFactory(pk=55, email="fifty-five@example.org", email_confirmed_at=None)
    services.user_resend_confirmation(user=fifty_five)
    services.user_resend_confirmation(user=fifty_five)

    email = services.user_resend_confirmation(user=five)

    assert email.key == "sign-up-confirm:5:1"
    assert email.to == "five@example.org"
    assert OutboundEmail.objects.filter(key__startswith="sign-up-confirm:55:").count() == 2
