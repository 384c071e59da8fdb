"""A commissioner works through a round's applications in a browser."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.applications.factories import DueDiligenceItemFactory, SubmittedApplicationFactory
from tests.e2e.conftest import axe_check, sign_in
from tests.microcomm.factories import PASSWORD, OrganisationFactory, commissioner
from tests.rounds.factories import OpenRoundFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_commissioner_filters_opens_verifies_and_overrides(page, live_server):
    boss = commissioner(email="boss@example.org")
    round = OpenRoundFactory(title="Warm spaces")
    application = SubmittedApplicationFactory(
        round=round,
        organisation=OrganisationFactory(name="Riverside Walkers"),
        amount_requested=Decimal("1500"),
        eligibility={"eligible": False, "reasons": ["The amount asked for is too high"]},
    )
    SubmittedApplicationFactory(round=round, organisation=OrganisationFactory(name="Knitters"))
    DueDiligenceItemFactory(application=application, label="Governing document")

    sign_in(page, live_server, boss.email, PASSWORD)
    page.get_by_role("link", name="See all funding rounds").click()
    page.get_by_role("link", name="Assess the applications of Warm spaces").click()
    expect(page.get_by_role("heading", name="2 applications")).to_be_visible()
    axe_check(page)

    page.get_by_label("Reference, group or project").fill("riverside")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_role("heading", name="1 application")).to_be_visible()
    page.get_by_role("link", name=re.compile(application.reference)).click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Riverside Walkers")
    axe_check(page)

    page.get_by_label(re.compile("^What did you check")).fill("Constitution seen")
    page.get_by_role("button", name=re.compile("^Mark as verified")).click()
    expect(page.get_by_text("Every check is verified.")).to_be_visible()

    page.get_by_label("Why may this application go ahead?").fill("Agreed at panel")
    page.get_by_role("button", name="Override eligibility").click()
    expect(page.get_by_text("Reason: Agreed at panel")).to_be_visible()
    expect(page.get_by_role("heading", name="Overrode the eligibility check")).to_be_visible()
    axe_check(page)
