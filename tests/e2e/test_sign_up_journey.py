import re
from collections.abc import Callable

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from microcomm.models import User
from tests.e2e.conftest import axe_check, sign_in
from tests.microcomm.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("tasks_inline")]

FULL_NAME = "Priya Lawson"
EMAIL = "priya.lawson@example.net"
PASSWORD = "harbour-lantern-violet-42"


def _open_sign_up(page: Page) -> None:
    """From the home page, as a visitor finds it: sent to sign in, then on to create an
    account."""
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    page.get_by_role("link", name="create an account", exact=True).click()


def _fill_sign_up(page: Page, *, full_name: str, email: str, password: str, confirm: str) -> None:
    _open_sign_up(page)
    page.get_by_label("Full name", exact=True).fill(full_name)
    page.get_by_label("Email address", exact=True).fill(email)
    page.get_by_label("Create a password", exact=True).fill(password)
    page.get_by_label("Confirm your password", exact=True).fill(confirm)
    page.get_by_role("button", name="Create account").click()


def _confirmation_path(body: str) -> str:
    match = re.search(re.escape(settings.SITE_URL) + r"(/confirm-email/\S+/\S+/)", body)
    assert match is not None, f"No confirmation link in the email:\n{body}"
    return match.group(1)


def _sign_up_confirm_and_sign_in(
    page: Page, live_server, mailoutbox, check: Callable[[Page], None]
) -> None:
    _open_sign_up(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Create an account")
    check(page)

    _fill_sign_up(page, full_name=FULL_NAME, email=EMAIL, password=PASSWORD, confirm=PASSWORD)

    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    expect(page.get_by_role("main")).to_contain_text(f"We have sent a link to {EMAIL}")
    check(page)
    assert [message.to for message in mailoutbox] == [[EMAIL]]
    assert mailoutbox[0].subject == f"Confirm your email address for {settings.SCHEME_NAME}"

    # The person opens the link in their email.
    page.goto(f"{live_server.url}{_confirmation_path(mailoutbox[0].body)}")

    expect(page.get_by_role("heading", level=1)).to_have_text("Email address confirmed")
    check(page)

    sign_in(page, live_server, EMAIL, PASSWORD)

    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Priya")
    expect(
        page.get_by_role("heading", level=2, name="Your groups and applications", exact=True)
    ).to_be_visible()
    expect(page.get_by_text("You are not part of a group yet.")).to_be_visible()
    check(page)
    assert User.objects.get(email=EMAIL).full_name == FULL_NAME


def test_sign_up_confirm_email_and_sign_in(page: Page, live_server, mailoutbox):
    _sign_up_confirm_and_sign_in(page, live_server, mailoutbox, axe_check)


def test_sign_up_confirm_email_and_sign_in_without_javascript(
    page_without_js: Page, live_server, mailoutbox
):
    _sign_up_confirm_and_sign_in(page_without_js, live_server, mailoutbox, lambda page: None)


def test_empty_sign_up_form_lists_every_problem(page: Page, live_server, mailoutbox):
    users_before = User.objects.count()
    _open_sign_up(page)

    page.get_by_role("button", name="Create account").click()

    expect(page).to_have_title(re.compile(r"^Error: Create an account"))
    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_role("heading", name="There is a problem")).to_be_visible()
    problems = {
        "Full name": ("Enter your full name", "#id_full_name"),
        "Email address": ("Enter your email address", "#id_email"),
        "Create a password": ("Enter a password", "#id_password1"),
        "Confirm your password": ("Enter your password again", "#id_password2"),
    }
    for label, (message, anchor) in problems.items():
        expect(summary.get_by_role("link", name=message, exact=True)).to_have_attribute(
            "href", anchor
        )
        expect(page.get_by_label(label, exact=True)).to_have_accessible_description(
            re.compile(re.escape(message))
        )
    axe_check(page)

    summary.get_by_role("link", name="Enter a password", exact=True).click()

    expect(page.get_by_label("Create a password", exact=True)).to_be_focused()
    assert User.objects.count() == users_before
    assert mailoutbox == []


def test_sign_up_with_an_email_that_has_an_account_says_nothing_and_tells_the_owner(
    page: Page, live_server, mailoutbox
):
    UserFactory(email="taken@example.net")
    users_before = User.objects.count()

    _fill_sign_up(
        page, full_name=FULL_NAME, email="taken@example.net", password=PASSWORD, confirm=PASSWORD
    )

    # The same page as for a new address: whether an address has an account is not said.
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    expect(page.locator(".govuk-error-summary")).to_have_count(0)
    axe_check(page)
    assert User.objects.count() == users_before
    assert [message.to for message in mailoutbox] == [["taken@example.net"]]
    assert "You already have an account" in mailoutbox[0].subject


def test_sign_up_with_passwords_that_differ_is_refused(page: Page, live_server, mailoutbox):
    users_before = User.objects.count()

    _fill_sign_up(page, full_name=FULL_NAME, email=EMAIL, password=PASSWORD, confirm=PASSWORD + "x")

    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(summary.get_by_role("link")).to_have_text(["The passwords do not match"])
    expect(page.get_by_label("Confirm your password", exact=True)).to_have_accessible_description(
        re.compile("The passwords do not match")
    )
    expect(page.get_by_label("Email address", exact=True)).to_have_value(EMAIL)
    axe_check(page)
    assert User.objects.count() == users_before
    assert not User.objects.filter(email=EMAIL).exists()
    assert mailoutbox == []
