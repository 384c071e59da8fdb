"""Accounts under attack: throttled sign-ins and emails, sign-up that reveals nothing,
and two-step sign-in for admins, commissioners and anyone who turns it on."""

from __future__ import annotations

import base64
import datetime
import re
import zoneinfo

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from microcomm import services
from microcomm.models import AuditEvent, User
from tests.conftest import force_login_without_second_factor
from tests.microcomm.factories import PASSWORD, UserFactory, applicant, commissioner, link_worker

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")
# A quarter to three in the afternoon, London time: a lock of 15 minutes ends at 3pm.
QUARTER_TO_THREE = datetime.datetime(2027, 3, 12, 14, 45, tzinfo=LONDON)


def _sign_in(client, email: str, password: str, **extra):
    return client.post(
        reverse("microcomm:sign-in"), {"username": email, "password": password}, **extra
    )


# Failed sign-ins ---------------------------------------------------------------------


def test_fifth_wrong_password_locks_the_account_and_says_until_when(client):
    UserFactory(email="sam@example.org")
    with time_machine.travel(QUARTER_TO_THREE, tick=False):
        for _ in range(4):
            response = _sign_in(client, "sam@example.org", "wrong-password")
            assert response.status_code == 200
            assert "Enter a correct email address and password" in response.content.decode()
        locked = _sign_in(client, "sam@example.org", "wrong-password")
    page = locked.content.decode()
    assert locked.status_code == 429
    assert "You have tried too many times. Try again after 3pm." in page
    assert "There is a problem" in page


def test_the_right_password_is_refused_while_locked_and_works_after(client):
    UserFactory(email="sam@example.org")
    with time_machine.travel(QUARTER_TO_THREE, tick=False):
        for _ in range(5):
            _sign_in(client, "SAM@example.org ", "wrong-password")
    with time_machine.travel(QUARTER_TO_THREE + datetime.timedelta(minutes=10), tick=False):
        refused = _sign_in(client, "sam@example.org", PASSWORD)
        # Trying again during the lock does not move the time the page gives.
        assert refused.status_code == 429
        assert "Try again after 3pm." in refused.content.decode()
        assert "_auth_user_id" not in client.session
    with time_machine.travel(QUARTER_TO_THREE + datetime.timedelta(minutes=16), tick=False):
        allowed = _sign_in(client, "sam@example.org", PASSWORD)
    assert allowed.status_code == 302
    assert client.session["_auth_user_id"] == str(User.objects.get(email="sam@example.org").pk)


def test_a_lock_holds_from_another_address_too(client):
    UserFactory(email="sam@example.org")
    for number in range(5):
        _sign_in(client, "sam@example.org", "wrong", REMOTE_ADDR=f"192.0.2.{number}")
    response = _sign_in(client, "sam@example.org", PASSWORD, REMOTE_ADDR="198.51.100.7")
    assert response.status_code == 429
    assert "You have tried too many times" in response.content.decode()


def test_the_admin_sign_in_is_locked_too(client):
    UserFactory(email="admin@example.org", is_staff=True, is_superuser=True)
    for _ in range(5):
        client.post(reverse("admin:login"), {"username": "admin@example.org", "password": "wrong"})
    response = client.post(
        reverse("admin:login"), {"username": "admin@example.org", "password": PASSWORD}
    )
    assert response.status_code == 429
    assert "You have tried too many times" in response.content.decode()
    assert "_auth_user_id" not in client.session


# Emails a visitor can ask for ----------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_password_reset_emails_stop_after_three_an_hour_with_a_time(client):
    UserFactory(email="reset@example.org")
    with time_machine.travel(QUARTER_TO_THREE, tick=False):
        for _ in range(3):
            response = client.post(
                reverse("microcomm:password-reset"), {"email": "reset@example.org"}
            )
            assert response.status_code == 302
        refused = client.post(reverse("microcomm:password-reset"), {"email": "Reset@Example.org"})
    assert refused.status_code == 200
    assert "You have tried too many times. Try again after 3:45pm." in refused.content.decode()
    assert 'href="#id_email"' in refused.content.decode()
    assert len(mail.outbox) == 3


@pytest.mark.django_db(transaction=True)
def test_password_resets_for_unknown_addresses_are_limited_the_same_way(client):
    for _ in range(3):
        client.post(reverse("microcomm:password-reset"), {"email": "ghost@example.org"})
    refused = client.post(reverse("microcomm:password-reset"), {"email": "ghost@example.org"})
    assert "You have tried too many times" in refused.content.decode()
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_password_resets_from_one_client_are_limited_across_addresses(client):
    for number in range(10):
        client.post(reverse("microcomm:password-reset"), {"email": f"p{number}@example.org"})
    refused = client.post(reverse("microcomm:password-reset"), {"email": "new@example.org"})
    assert "You have tried too many times" in refused.content.decode()


@pytest.mark.django_db(transaction=True)
def test_confirmation_links_are_sent_again_at_most_three_times_an_hour(client):
    UserFactory(email="new@example.org", email_confirmed_at=None)
    with time_machine.travel(QUARTER_TO_THREE, tick=False):
        for _ in range(3):
            response = _sign_in(client, "new@example.org", PASSWORD)
            assert "We have sent you a new link" in response.content.decode()
        refused = _sign_in(client, "new@example.org", PASSWORD)
    assert "We can send a new link after 3:45pm." in refused.content.decode()
    assert len(mail.outbox) == 3


# Sign-up says nothing about who has an account ------------------------------------------


def _sign_up(client, email: str):
    return client.post(
        reverse("microcomm:sign-up"),
        {"full_name": "Ann Other", "email": email, "password1": PASSWORD, "password2": PASSWORD},
        follow=True,
    )


@pytest.mark.django_db(transaction=True)
def test_sign_up_with_a_registered_address_looks_the_same_and_emails_the_owner(client):
    owner = UserFactory(email="taken@example.org", full_name="Tess Owner")
    new = _sign_up(client, "fresh@example.org")
    client.session.flush()
    taken = _sign_up(client, "Taken@example.org")

    def visible(response) -> str:
        page = re.sub(r"<input[^>]*csrf[^>]*>", "", response.content.decode())
        page = re.sub(r' nonce="[^"]*"', "", page)
        return re.sub(r"\s+", " ", page)

    assert taken.status_code == new.status_code == 200
    assert visible(taken).replace("taken@example.org", "X") == visible(new).replace(
        "fresh@example.org", "X"
    )
    assert User.objects.filter(email__iexact="taken@example.org").count() == 1
    owner.refresh_from_db()
    assert owner.full_name == "Tess Owner"
    to_owner = [message for message in mail.outbox if message.to == ["taken@example.org"]]
    assert len(to_owner) == 1
    assert "You already have an account" in to_owner[0].subject
    assert "/password-reset/" in to_owner[0].body


# Two-step sign-in --------------------------------------------------------------------


def _code(device: TOTPDevice) -> str:
    return f"{TOTP(device.bin_key, drift=device.drift).token():06d}"


def test_a_commissioner_is_sent_to_set_up_an_app_after_the_password(client):
    person = commissioner(email="cass@example.org")
    response = _sign_in(client, "cass@example.org", PASSWORD)
    assert response.status_code == 302
    needs = client.get("/needs/")
    assert needs.status_code == 302
    assert needs["Location"].startswith(reverse("microcomm:two-factor-setup"))
    page = client.get(needs["Location"]).content.decode()
    assert "Set up two-step sign-in" in page
    assert "<svg" in page
    key = re.search(r"data-setup-key>([A-Z2-7 ]+)<", page).group(1).replace(" ", "")
    code = f"{TOTP(base64.b32decode(key + '=' * (-len(key) % 8))).token():06d}"
    done = client.post(needs["Location"], {"code": code})
    assert done.status_code == 302
    codes_page = client.get(done["Location"]).content.decode()
    assert codes_page.count("<code>") == 10
    assert client.get("/needs/").status_code == 200
    assert AuditEvent.objects.filter(actor=person, verb="user.second_factor_on").exists()


def test_a_commissioner_with_an_app_must_give_its_code(client):
    person = commissioner(email="cass@example.org")
    device = TOTPDevice.objects.create(user=person, name="Phone", confirmed=True)
    _sign_in(client, "cass@example.org", PASSWORD)
    blocked = client.get("/needs/")
    assert blocked["Location"].startswith(reverse("microcomm:two-factor-verify"))
    wrong = client.post(reverse("microcomm:two-factor-verify"), {"code": "000000"})
    assert "Enter the 6-digit code your authenticator app shows now" in wrong.content.decode()
    assert client.get("/needs/").status_code == 302
    device.refresh_from_db()
    device.throttling_failure_count = 0
    device.throttling_failure_timestamp = None
    device.save()
    right = client.post(
        reverse("microcomm:two-factor-verify"), {"code": _code(device), "next": "/needs/"}
    )
    assert right.status_code == 302
    assert right["Location"] == "/needs/"
    assert client.get("/needs/").status_code == 200


def test_a_recovery_code_works_once(client):
    person = commissioner(email="cass@example.org")
    TOTPDevice.objects.create(user=person, name="Phone", confirmed=True)
    codes = services._recovery_codes_replace(person)
    _sign_in(client, "cass@example.org", PASSWORD)
    response = client.post(reverse("microcomm:two-factor-verify"), {"code": codes[0]})
    assert response.status_code == 302
    assert client.get("/needs/").status_code == 200
    assert not StaticToken.objects.filter(token=codes[0]).exists()
    client.post(reverse("microcomm:sign-out"))
    _sign_in(client, "cass@example.org", PASSWORD)
    again = client.post(reverse("microcomm:two-factor-verify"), {"code": codes[0]})
    assert again.status_code == 200
    assert client.get("/needs/").status_code == 302


def test_the_admin_needs_the_second_step(client):
    admin = UserFactory(is_staff=True, is_superuser=True)
    force_login_without_second_factor(client, admin)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("microcomm:two-factor-setup"))
    client.force_login(admin)
    assert client.get(reverse("admin:index")).status_code == 200


def test_link_workers_and_applicants_need_no_second_step_unless_they_turn_it_on(client):
    for person in (link_worker(), applicant()):
        force_login_without_second_factor(client, person)
        assert client.get("/").status_code == 200


def test_an_applicant_turns_it_on_and_then_needs_it(client):
    person = applicant(email="app@example.org")
    _sign_in(client, "app@example.org", PASSWORD)
    assert "Turn on two-step sign-in" in client.get(reverse("microcomm:account")).content.decode()
    setup = client.get(reverse("microcomm:two-factor-setup"))
    assert setup.status_code == 200
    device = TOTPDevice.objects.get(user=person, confirmed=False)
    wrong = client.post(reverse("microcomm:two-factor-setup"), {"code": "12"})
    assert "Enter the 6-digit code your authenticator app shows now" in wrong.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    device.throttling_failure_count = 0
    device.throttling_failure_timestamp = None
    device.save()
    client.post(reverse("microcomm:two-factor-setup"), {"code": _code(device)})
    client.post(reverse("microcomm:sign-out"))
    _sign_in(client, "app@example.org", PASSWORD)
    assert client.get("/")["Location"].startswith(reverse("microcomm:two-factor-verify"))


def test_an_applicant_can_turn_it_off_and_a_commissioner_cannot(client):
    person = applicant()
    TOTPDevice.objects.create(user=person, name="Phone", confirmed=True)
    client.force_login(person)
    response = client.post(reverse("microcomm:two-factor-turn-off"))
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=person).exists()
    boss = commissioner()
    client.force_login(boss)
    refused = client.post(reverse("microcomm:two-factor-turn-off"))
    assert refused.status_code == 403
    assert "Admins and commissioners must use two-step sign-in" in refused.content.decode()
    assert TOTPDevice.objects.filter(user=boss, confirmed=True).exists()
