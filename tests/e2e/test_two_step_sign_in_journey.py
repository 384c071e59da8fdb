"""Two-step sign-in in the browser: the demo commissioner with a recovery code, and an
applicant turning it on from their account page."""

import base64

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import Page, expect

from microcomm.demo import DEMO_PASSWORD, DEMO_RECOVERY_CODES
from tests.e2e.conftest import axe_check, sign_in

pytestmark = pytest.mark.browser


def test_the_demo_commissioner_signs_in_with_a_recovery_code(page: Page, live_server, demo):
    page.goto("/sign-in/")
    page.get_by_label("Email address", exact=True).fill("commissioner@example.org")
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your code")
    axe_check(page)

    page.get_by_label("Code", exact=True).fill(DEMO_RECOVERY_CODES[0])
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Morgan")
    page.get_by_role("link", name="Your account").click()
    expect(page.get_by_text("Admins and commissioners must use two-step sign-in")).to_be_visible()
    axe_check(page)


def test_an_applicant_turns_on_two_step_sign_in(page: Page, live_server, demo):
    sign_in(page, live_server, "applicant@example.org", DEMO_PASSWORD)
    page.get_by_role("link", name="Your account").click()
    page.get_by_role("link", name="Turn on two-step sign-in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-step sign-in")
    axe_check(page)

    key = page.locator("[data-setup-key]").inner_text().replace(" ", "")
    code = f"{TOTP(base64.b32decode(key + '=' * (-len(key) % 8))).token():06d}"
    page.get_by_label("Code", exact=True).fill(code)
    page.get_by_role("button", name="Turn on two-step sign-in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your recovery codes")
    expect(page.locator("[data-recovery-codes] li")).to_have_count(10)
    axe_check(page)

    page.get_by_role("link", name="I have kept my recovery codes").click()
    expect(page.get_by_text("On: you sign in with a code")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, live_server, "applicant@example.org", DEMO_PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Jo")
