"""A new person signs up, sets up their group, fills its profile and applies across two sittings."""

import re

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from applications.models import Application, OrganisationDocument
from microcomm.models import Organisation
from tests.e2e.conftest import axe_check, sign_in, wait_for
from tests.rounds.factories import OpenRoundFactory, micro_form

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("tasks_inline")]

FULL_NAME = "Amara Okafor"
EMAIL = "amara.okafor@example.net"
PASSWORD = "copper-meadow-kettle-87"
GROUP = "Hollin Lane Allotment Friends"
ROUND = "Hollin get-together grants"
COMPLETED = "Yes, I’ve completed this section"
PDF = (
    b"%PDF-1.4\n"
    b"1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"xref\n0 4\n0000000000 65535 f \n"
    b"trailer<</Size 4/Root 1 0 R>>\nstartxref\n0\n%%EOF\n"
)


def _confirmation_path(body: str) -> str:
    match = re.search(re.escape(settings.SITE_URL) + r"(/confirm-email/\S+/\S+/)", body)
    assert match is not None, f"No confirmation link in the email:\n{body}"
    return match.group(1)


def _sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("link", name="Sign in", exact=True)).to_be_visible()


def test_a_new_group_signs_up_builds_a_profile_and_applies(page: Page, live_server, mailoutbox):
    round = OpenRoundFactory(title=ROUND)
    micro_form(round)

    # Sign up from the first page a visitor sees, and confirm the email address.
    page.goto("/")
    page.get_by_role("link", name="create an account", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Create an account")
    axe_check(page)
    page.get_by_label("Full name", exact=True).fill(FULL_NAME)
    page.get_by_label("Email address", exact=True).fill(EMAIL)
    page.get_by_label("Create a password", exact=True).fill(PASSWORD)
    page.get_by_label("Confirm your password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    expect(page.get_by_role("main")).to_contain_text(f"We have sent a link to {EMAIL}")
    axe_check(page)
    assert [message.to for message in mailoutbox] == [[EMAIL]]

    # The link in the email, as the person clicks it in their mail.
    page.goto(f"{live_server.url}{_confirmation_path(mailoutbox[0].body)}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Email address confirmed")
    axe_check(page)

    sign_in(page, live_server, EMAIL, PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Amara")
    expect(page.get_by_text("You are not part of a group yet.")).to_be_visible()
    axe_check(page)

    # Add the group: not a charity or company, just people getting together.
    page.get_by_role("link", name="Add a group").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add your group")
    axe_check(page)
    page.get_by_label("What is your group called?").fill(GROUP)
    page.get_by_label("Unincorporated community group").check()
    page.get_by_role("button", name="Add group").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(GROUP)
    expect(page.get_by_text(f"{GROUP} added. You are its owner")).to_be_visible()
    axe_check(page)

    # Fill the profile, with a postcode that is not real first.
    page.get_by_role("button", name="Change the group's details").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your group's details")
    axe_check(page)
    page.get_by_label("What does your group do?").fill("We grow vegetables and share them.")
    page.get_by_label("Address line 1").fill("Hollin Lane Allotments")
    page.get_by_label("Town or city").fill("Worksop")
    page.get_by_label("Postcode").fill("WORKSOP")
    page.get_by_label("Annual income").fill("£640")
    page.get_by_label("Main contact's full name").fill(FULL_NAME)
    page.get_by_label("Second contact's full name").fill("Tom Hargreaves")
    page.get_by_label("The second contact is not related to the main contact").check()
    page.get_by_role("group", name=re.compile("Does your group have a bank account")).get_by_label(
        "Yes"
    ).check()
    page.get_by_label("Name on the bank account").fill("Hollin Lane Allotment Friends")
    page.get_by_role("button", name="Save details").click()

    expect(page.get_by_role("alert")).to_contain_text("Enter a real postcode, like S80 2AB")
    expect(page.get_by_label("Postcode")).to_have_accessible_description(
        re.compile("Enter a real postcode, like S80 2AB")
    )
    expect(page.get_by_label("Postcode")).to_have_value("WORKSOP")
    expect(page.get_by_label("Address line 1")).to_have_value("Hollin Lane Allotments")
    axe_check(page)
    page.get_by_label("Postcode").fill("s81 7hq")
    page.get_by_role("button", name="Save details").click()

    expect(page.get_by_text("Your group's details have been saved")).to_be_visible()
    expect(page.get_by_text("S81 7HQ")).to_be_visible()
    expect(page.get_by_text("£640")).to_be_visible()
    axe_check(page)

    # Put a document in the group's vault.
    page.get_by_role("link", name="Manage documents").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Documents")
    axe_check(page)
    page.get_by_role("button", name="Upload a document").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Upload a document")
    axe_check(page)
    page.get_by_label("Safeguarding policy").check()
    # GOV.UK Frontend's enhanced file upload puts a button in front of the real input.
    page.locator("input[type=file][name=file]").set_input_files(
        {"name": "Keeping people safe.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    page.get_by_role("button", name="Upload document").click()

    expect(page).to_have_url(re.compile(r"/organisations/\d+/documents/$"))
    table = page.get_by_role("table", name="Current documents")
    expect(table).to_contain_text("Safeguarding policy")
    expect(table).to_contain_text("Keeping people safe.pdf")
    axe_check(page)

    # Find the round and start an application.
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Funding rounds").click()
    page.get_by_role("link", name=ROUND, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(ROUND)
    axe_check(page)
    page.get_by_role("button", name="Start your application").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Start your application")
    axe_check(page)
    page.get_by_label(GROUP).check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Your application to {ROUND}")
    axe_check(page)

    # First sitting: one answer, saved as it is typed.
    page.get_by_role("link", name="About your group").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("About your group")
    axe_check(page)
    page.get_by_label("What is the name of your group?").fill(GROUP)
    expect(page.locator("#autosave-status")).to_contain_text("Saved at")
    _sign_out(page)

    # Second sitting: the answer is kept.
    sign_in(page, live_server, EMAIL, PASSWORD)
    page.get_by_role("navigation", name="Menu").get_by_role(
        "link", name="Your applications"
    ).click()
    axe_check(page)
    page.get_by_role("link", name=ROUND).click()
    expect(page.get_by_text("In progress")).to_be_visible()
    page.get_by_role("link", name="About your group").click()
    expect(page.get_by_label("What is the name of your group?")).to_have_value(GROUP)
    page.get_by_label("What does your group do?").fill("We grow vegetables and share them.")
    page.get_by_label(COMPLETED).check()
    page.get_by_role("button", name="Save and continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your idea")
    axe_check(page)
    page.get_by_role("link", name="Add your budget").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your budget")
    axe_check(page)
    page.get_by_label("Costs, row 1, what it is for").fill("Seeds and tools")
    page.get_by_label("Costs, row 1, amount in pounds").fill("£420")
    page.get_by_role("button", name="Save and continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your idea")
    expect(page.get_by_text("£420").first).to_be_visible()
    page.get_by_label("How many people will take part?").fill("15")
    # The follow-up question appears only once its answer makes it relevant.
    expect(page.get_by_label("How will you keep children safe?")).to_be_hidden()
    page.get_by_role("group", name="Will you work with children?").get_by_label("Yes").check()
    page.get_by_label("How will you keep children safe?").fill("Two adults at every session.")
    page.get_by_label(COMPLETED).check()
    page.get_by_role("button", name="Save and continue").click()

    expect(page.get_by_text("You have completed 2 of 2 sections.")).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name="Check your answers and submit").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Check your answers before submitting your application"
    )
    expect(page.get_by_text("Two adults at every session.")).to_be_visible()
    axe_check(page)
    page.get_by_label("I confirm that the information").check()
    page.get_by_role("button", name="Accept and submit application").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Application submitted")
    application = Application.objects.get(round=round)
    expect(page.locator(".govuk-panel__body")).to_contain_text(application.reference)
    axe_check(page)

    organisation = Organisation.objects.get(name=GROUP)
    assert application.organisation == organisation
    assert OrganisationDocument.objects.get(organisation=organisation).kind == (
        OrganisationDocument.Kind.SAFEGUARDING
    )
    # The PDF copy is rendered after the page has been sent, then emailed.
    wait_for(lambda: any(application.reference in message.body for message in mailoutbox))
    receipts = [message for message in mailoutbox if application.reference in message.body]
    assert [message.to for message in receipts] == [[EMAIL]]
    name, content, mimetype = receipts[0].attachments[0]
    assert (name, mimetype) == (f"{application.reference}.pdf", "application/pdf")
    assert content.startswith(b"%PDF")
