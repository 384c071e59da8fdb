import re

import pytest
from playwright.sync_api import Page, expect

from applications.models import OrganisationDocument
from microcomm.demo import DEMO_PASSWORD
from tests.e2e.conftest import axe_check, sign_in
from tests.microcomm.factories import PDF_BYTES

pytestmark = pytest.mark.browser


def test_applicant_adds_a_group_fills_its_profile_and_uploads_a_document(
    page: Page, live_server, demo
):
    sign_in(page, live_server, "applicant@example.org", DEMO_PASSWORD)

    applicant = page.get_by_role("region", name="Your groups and applications")
    applicant.get_by_role("link", name="Add a group", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add your group")
    axe_check(page)
    page.get_by_label("What is your group called?").fill("Fenwick Knit and Natter")
    page.get_by_label("Community interest company (CIC)").check()
    page.get_by_role("button", name="Add group").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Fenwick Knit and Natter")
    expect(page.get_by_text("Fenwick Knit and Natter added. You are its owner")).to_be_visible()
    axe_check(page)

    page.get_by_role("button", name="Change the group's details").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your group's details")
    axe_check(page)
    page.get_by_label("What does your group do?").fill("Knitting and a chat on Tuesdays")
    page.get_by_label("Address line 1").fill("Fenwick Library")
    page.get_by_label("Town or city").fill("Worksop")
    page.get_by_label("Postcode").fill("S80")
    page.get_by_label("Annual income").fill("£1,250.50")
    page.get_by_role("button", name="Save details").click()

    expect(page.get_by_role("alert")).to_contain_text("Enter a real postcode, like S80 2AB")
    expect(page.get_by_label("Postcode")).to_have_value("S80")
    axe_check(page)
    page.get_by_role("alert").get_by_role("link", name="Enter a real postcode").click()
    page.get_by_label("Postcode").fill("s80 2ab")
    page.get_by_role("button", name="Save details").click()

    expect(page.get_by_text("Your group's details have been saved")).to_be_visible()
    expect(page.get_by_text("S80 2AB")).to_be_visible()
    expect(page.get_by_text("£1,250.50")).to_be_visible()

    page.get_by_role("link", name="Manage documents").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Documents")
    axe_check(page)
    page.get_by_role("button", name="Upload a document").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Upload a document")
    axe_check(page)
    page.get_by_label("Safeguarding policy").check()
    # GOV.UK Frontend's enhanced file upload puts a button in front of the real input.
    page.locator("input[type=file][name=file]").set_input_files(
        {"name": "Safeguarding 2025.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}
    )
    page.get_by_role("button", name="Upload document").click()

    expect(page).to_have_url(re.compile(r"/organisations/\d+/documents/$"))
    table = page.get_by_role("table", name="Current documents")
    expect(table).to_contain_text("Safeguarding policy")
    expect(table).to_contain_text("Safeguarding 2025.pdf")
    axe_check(page)
    document = OrganisationDocument.objects.get(organisation__name="Fenwick Knit and Natter")
    assert document.kind == OrganisationDocument.Kind.SAFEGUARDING
