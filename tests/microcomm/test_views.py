import re

import pytest
from django.core import mail
from django.urls import reverse

from microcomm.models import User
from tests.microcomm.factories import PASSWORD, MembershipFactory, UserFactory, commissioner

pytestmark = pytest.mark.django_db


PUBLIC_PAGES = [
    "microcomm:sign-in",
    "microcomm:sign-up",
    "microcomm:password-reset",
    "microcomm:accessibility",
    "microcomm:privacy",
]


@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_public_pages_open_without_signing_in(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert b'class="govuk-skip-link"' in response.content


def test_home_needs_sign_in(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("microcomm:sign-in"))


def test_home_shows_each_role_a_person_holds(client):
    person = commissioner()
    MembershipFactory(user=person, organisation__name="Kiln Lane Knitters")
    client.force_login(person)
    page = client.get("/").content.decode()
    assert "Commissioning" in page
    assert "Your groups and applications" in page
    assert "Kiln Lane Knitters" in page
    assert "Link work" not in page


# A well-formed address of 257 characters: longer than an email address column holds.
LONGER_THAN_STORED_EMAIL = f"{'a' * 64}@{'b' * 63}.{'c' * 63}.{'d' * 60}.org"


def test_sign_up_with_bad_input_shows_errors_and_creates_nothing(client):
    UserFactory(email="taken@example.org")
    response = client.post(
        reverse("microcomm:sign-up"),
        {"full_name": "", "email": "TAKEN@example.org", "password1": "x", "password2": "y"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "Enter your full name" in page
    # Whether an address has an account is never said (see test_accounts.py).
    assert "already exists" not in page
    assert 'href="#id_full_name"' in page
    assert page.count("<title>Error:") == 1
    assert User.objects.count() == 1


@pytest.mark.parametrize(
    ("email", "password1", "password2", "message"),
    [
        ("not-an-email", PASSWORD, PASSWORD, "Enter an email address in the correct format"),
        ("new@example.org", PASSWORD, PASSWORD + "x", "The passwords do not match"),
        ("new@example.org", "short", "short", "This password is too short"),
        ("new@example.org", "password123", "password123", "This password is too common"),
        (LONGER_THAN_STORED_EMAIL, PASSWORD, PASSWORD, "254 characters or fewer"),
    ],
)
def test_sign_up_refuses_bad_details(client, email, password1, password2, message):
    response = client.post(
        reverse("microcomm:sign-up"),
        {"full_name": "Ann Other", "email": email, "password1": password1, "password2": password2},
    )
    assert message in response.content.decode()
    assert not User.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_sign_up_confirm_and_sign_in(client):
    response = client.post(
        reverse("microcomm:sign-up"),
        {
            "full_name": "Dee Lowe",
            "email": "dee@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 302
    signed_in = client.post(
        reverse("microcomm:sign-in"), {"username": "dee@example.org", "password": PASSWORD}
    )
    assert "Confirm your email address before you sign in" in signed_in.content.decode()
    assert len(mail.outbox) == 2  # the sign-up link and a fresh one
    path = re.search(r"https?://[^/]+(/\S+)", mail.outbox[-1].body).group(1)
    confirmed = client.get(path)
    assert "Email address confirmed" in confirmed.content.decode()
    response = client.post(
        reverse("microcomm:sign-in"), {"username": "dee@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert "Your groups and applications" in client.get("/").content.decode()


def test_a_tampered_confirmation_link_is_refused(client):
    user = UserFactory(email_confirmed_at=None)
    response = client.get(f"/confirm-email/{user.pk}/not-a-token/")
    assert response.status_code == 400
    assert "This link does not work" in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_password_reset_end_to_end(client):
    UserFactory(email="reset@example.org")
    response = client.post(reverse("microcomm:password-reset"), {"email": "reset@example.org"})
    assert response.status_code == 302
    path = re.search(r"https?://[^/]+(/\S+)", mail.outbox[0].body).group(1)
    new_password = "a-brand-new-password-2026"
    form = client.get(path)
    assert "Choose a new password" in form.content.decode()
    response = client.post(path, {"new_password1": new_password, "new_password2": new_password})
    assert response.status_code == 302
    client.logout()
    signed_in = client.post(
        reverse("microcomm:sign-in"), {"username": "reset@example.org", "password": new_password}
    )
    assert signed_in.status_code == 302
    again = client.get(path)
    assert again.status_code == 400


@pytest.mark.django_db(transaction=True)
def test_password_reset_for_unknown_email_looks_the_same(client):
    response = client.post(reverse("microcomm:password-reset"), {"email": "ghost@example.org"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_sign_out_page_asks_with_a_button_and_only_a_post_signs_out(client):
    client.force_login(UserFactory())
    page = client.get(reverse("microcomm:sign-out"))
    assert page.status_code == 200
    html = page.content.decode()
    assert '<h1 class="govuk-heading-xl">Sign out</h1>' in html
    assert 'class="govuk-button" data-module="govuk-button">Sign out</button>' in html
    assert client.get("/").status_code == 200
    response = client.post(reverse("microcomm:sign-out"))
    assert response.status_code == 302
    assert client.get("/").status_code == 302


def test_unknown_url_gets_a_govuk_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_admin_is_for_staff_only(client):
    client.force_login(commissioner())
    response = client.get("/admin/")
    assert response.status_code == 302
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    assert client.get("/admin/").status_code == 200


def test_healthz_reports_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["checks"]["database"] == "ok"


def test_server_error_page_leaks_nothing(client, settings):
    settings.DEBUG = False
    from microcomm.views import server_error

    response = server_error(client.get("/").wsgi_request)
    page = response.content.decode()
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in page
    assert "Traceback" not in page


def test_healthz_names_redis_when_it_does_not_answer(client, settings):
    dead = "redis://127.0.0.1:1/0"
    settings.REDIS_URL = dead
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": dead}
    }
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["failed"] == ["redis"]
    assert response.json()["checks"]["database"] == "ok"


def test_home_shows_messages_and_marks_them_read(client):
    from microcomm.models import Notification

    person = UserFactory()
    Notification.objects.create(
        user=person, subject="Your application was handed over", body="Check and submit it."
    )
    client.force_login(person)
    page = client.get("/").content.decode()
    assert "Your application was handed over" in page
    assert "Mark messages as read" in page
    response = client.post(reverse("microcomm:notifications-read"))
    assert response.status_code == 302
    assert Notification.objects.get().read_at is not None
    assert "Mark messages as read" not in client.get("/").content.decode()
