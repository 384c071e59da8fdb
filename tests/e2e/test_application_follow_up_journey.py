"""A member finds what needs their attention from their home page: an application sent
back for changes, a draft the round's rules would refuse, and withdraws one with a reason."""

import re

import pytest
from playwright.sync_api import Page, expect

from applications.services import applying as services
from microcomm.models import LegalForm, OutboundEmail
from tests.applications.factories import ProfileFactory, SubmittedApplicationFactory
from tests.e2e.conftest import axe_check, sign_in
from tests.microcomm.factories import (
    PASSWORD,
    OrganisationFactory,
    commissioner,
    group_with_member,
)
from tests.rounds.factories import OpenRoundFactory, micro_form

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_member_follows_up_from_home(page: Page, live_server):
    organisation = OrganisationFactory(name="Kiln Lane Friends", legal_form=LegalForm.CIC)
    ProfileFactory(organisation=organisation, address_line_1="4 Kiln Lane", postcode="AB1 2CD")
    member = group_with_member(organisation=organisation).user
    strict = OpenRoundFactory(
        title="Charities only", allowed_legal_forms=[LegalForm.CHARITY, LegalForm.CIO]
    )
    micro_form(strict)
    services.application_start(round=strict, organisation=organisation, actor=member)
    sent_back = SubmittedApplicationFactory(
        organisation=organisation, round__title="Walking for health"
    )
    micro_form(sent_back.round)
    services.application_reopen(
        application=sent_back, reason="Add the hall's address", actor=commissioner()
    )

    sign_in(page, live_server, member.email, PASSWORD)
    panel = page.locator("section", has=page.get_by_role("heading", name="Applications to finish"))
    expect(panel.get_by_text("Sent back for changes")).to_be_visible()
    axe_check(page)

    panel.get_by_role("link", name=re.compile("^Application to Walking for health")).click()
    expect(page.get_by_text("Your application was sent back for changes")).to_be_visible()
    expect(page.get_by_text("Add the hall's address")).to_be_visible()
    expect(page.locator("#group-details")).to_contain_text("4 Kiln Lane")
    expect(page.locator("#required-documents")).to_contain_text("Governing document")
    axe_check(page)

    page.get_by_role("link", name="Home").first.click()
    panel.get_by_role("link", name=re.compile("^Application to Charities only")).click()
    expect(
        page.get_by_text("From your answers so far, your group cannot get a grant from this round.")
    ).to_be_visible()
    expect(page.get_by_role("link", name="ask for an exception")).to_be_visible()
    axe_check(page)

    page.get_by_role("link", name="Withdraw this application").click()
    axe_check(page)
    page.get_by_label("Why are you withdrawing the application? (optional)").fill(
        "We are not a charity"
    )
    page.get_by_role("button", name="Yes, withdraw application").click()
    expect(page.get_by_text("Your application has been withdrawn.")).to_be_visible()
    email = OutboundEmail.objects.get(key__startswith="application-withdrawn:", to=member.email)
    assert "We are not a charity" in email.body_text
