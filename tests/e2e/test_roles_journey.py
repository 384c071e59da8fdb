import re

import pytest
from playwright.sync_api import Page, expect

from microcomm.demo import DEMO_LOGINS, DEMO_PASSWORD
from tests.e2e.conftest import axe_check, sign_in

pytestmark = pytest.mark.browser

ROLE_SECTIONS = [
    "Commissioning",
    "Link work",
    "Your groups and applications",
    "Panel work",
    "Administration",
]

FIRST_NAMES = {login.email: login.full_name.split(" ")[0] for login in DEMO_LOGINS}


@pytest.mark.parametrize(
    ("email", "sections", "sees_admin"),
    [
        # The demo commissioner chairs the closed round's panel; the link worker sits on it.
        ("commissioner@example.org", {"Commissioning", "Panel work"}, False),
        ("linkworker@example.org", {"Link work", "Panel work"}, False),
        ("applicant@example.org", {"Your groups and applications"}, False),
        ("both@example.org", {"Link work", "Your groups and applications"}, False),
        ("admin@example.org", {"Administration"}, True),
        ("lay.member@example.org", {"Panel work"}, False),
    ],
)
def test_each_role_lands_on_their_sections_and_can_sign_out(
    page: Page, live_server, demo, email, sections, sees_admin
):
    sign_in(page, live_server, email, DEMO_PASSWORD)

    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Welcome, {FIRST_NAMES[email]}")
    for section in ROLE_SECTIONS:
        heading = page.get_by_role("heading", level=2, name=section, exact=True)
        if section in sections:
            expect(heading).to_be_visible()
        else:
            expect(heading).to_have_count(0)
    admin_link = page.get_by_role("navigation", name="Menu").get_by_role(
        "link", name="Admin", exact=True
    )
    if sees_admin:
        expect(admin_link).to_be_visible()
        expect(admin_link).to_have_attribute("href", "/admin/")
    else:
        expect(admin_link).to_have_count(0)
    axe_check(page)

    page.get_by_role("button", name="Sign out").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("You have signed out")
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
    axe_check(page)
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")


def test_both_roles_are_told_they_have_more_than_one_role(page: Page, live_server, demo):
    sign_in(page, live_server, "both@example.org", DEMO_PASSWORD)

    expect(page.get_by_text("You have more than one role here.")).to_be_visible()
    expect(page.get_by_role("link", name="Canal Side Men's Shed", exact=True)).to_be_visible()


def test_anonymous_visit_to_home_is_sent_to_sign_in(page: Page, live_server):
    page.goto("/")

    expect(page).to_have_url(re.compile(r"/sign-in/\?next=/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)


@pytest.mark.parametrize(
    ("path", "heading"),
    [
        ("/sign-in/", "Sign in"),
        ("/sign-up/", "Create an account"),
        ("/password-reset/", "Reset your password"),
        ("/accessibility/", "Accessibility statement"),
        ("/privacy/", "Privacy notice"),
        ("/signed-out/", "You have signed out"),
    ],
)
def test_public_page_is_accessible(page: Page, live_server, path, heading):
    response = page.goto(path)

    assert response is not None and response.status == 200
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    axe_check(page)


def test_unknown_address_shows_page_not_found(page: Page, live_server):
    response = page.goto("/no-such-page/")

    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    expect(page.get_by_role("link", name="Go to the home page")).to_have_attribute("href", "/")
    axe_check(page)


def test_unknown_address_shows_page_not_found_when_signed_in(page: Page, live_server, demo):
    sign_in(page, live_server, "applicant@example.org", DEMO_PASSWORD)

    response = page.goto("/no-such-page/")

    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    axe_check(page)
