"""A member applies to a micro round across two sittings, with and without JavaScript."""

from collections.abc import Callable
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from applications.models import Application, BudgetLine
from applications.services import applying as services
from rounds.models import Question
from tests.e2e.conftest import axe_check, sign_in, wait_for
from tests.microcomm.factories import PASSWORD, OrganisationFactory, WardFactory, group_with_member
from tests.rounds.factories import OpenRoundFactory, micro_form

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("tasks_inline")]

COMPLETED = "Yes, I’ve completed this section"


def _sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("link", name="Sign in", exact=True)).to_be_visible()


def _apply(
    page: Page, live_server, mailoutbox, *, javascript: bool, check: Callable[[Page], None]
) -> None:
    round = OpenRoundFactory(title="Eastfield get-together grants")
    questions = micro_form(round)
    Question.objects.create(
        section=questions["people"].section,
        kind=Question.Kind.LOCALITIES,
        label="Where will your activity happen?",
        order=5,
    )
    round.eligible_localities.set([WardFactory(name="Eastfield"), WardFactory(name="Westmoor")])
    membership = group_with_member(organisation=OrganisationFactory(name="Eastfield Walkers"))
    user = membership.user
    sign_in(page, live_server, user.email, PASSWORD)

    # From the home page: the open round, then its start button.
    page.get_by_role("link", name="Eastfield get-together grants", exact=True).click()
    page.get_by_role("button", name="Start your application").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Start your application")
    check(page)
    page.get_by_label("Eastfield Walkers").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Your application to Eastfield get-together grants"
    )
    expect(page.get_by_text("left to submit. The round closes at")).to_be_visible()
    check(page)

    # First sitting: one answer, then sign out.
    page.get_by_role("link", name="About your group").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("About your group")
    check(page)
    page.get_by_label("What is the name of your group?").fill("Eastfield Walkers")
    if javascript:
        expect(page.locator("#autosave-status")).to_contain_text("Saved at")
    else:
        page.get_by_role("button", name="Save and come back later").click()
        expect(page.get_by_text("Your answers have been saved.")).to_be_visible()
    _sign_out(page)

    # Second sitting: the answer is still there.
    sign_in(page, live_server, user.email, PASSWORD)
    page.get_by_role("link", name="Your applications", exact=True).click()
    page.get_by_role("link", name="Eastfield get-together grants").click()
    expect(page.get_by_text("In progress")).to_be_visible()
    page.get_by_role("link", name="About your group").click()
    expect(page.get_by_label("What is the name of your group?")).to_have_value("Eastfield Walkers")
    page.get_by_label("What does your group do?").fill("We walk together every Tuesday.")
    page.get_by_label(COMPLETED).check()
    page.get_by_role("button", name="Save and continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your idea")
    check(page)
    page.get_by_role("link", name="Add your budget").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your budget")
    check(page)
    page.get_by_label("Costs, row 1, what it is for").fill("Hall hire")
    page.get_by_label("Costs, row 1, amount in pounds").fill("£35O")
    page.get_by_role("button", name="Save and continue").click()

    # A mistyped amount saves nothing and says which row to put right.
    summary = page.locator(".govuk-error-summary")
    message = "Costs, row 1: the amount must be a number in pounds"
    expect(summary.get_by_role("link", name=message)).to_have_attribute("href", "#id_cost-0-amount")
    expect(page.get_by_label("Costs, row 1, amount in pounds")).to_have_value("£35O")
    check(page)
    assert not BudgetLine.objects.exists()
    page.get_by_label("Costs, row 1, amount in pounds").fill("£350")
    page.get_by_role("button", name="Save and continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your idea")
    expect(page.get_by_text("£350").first).to_be_visible()
    page.get_by_label("How many people will take part?").fill("20")
    page.get_by_role("group", name="Will you work with children?").get_by_label("No").check()
    page.get_by_role("group", name="Where will your activity happen?").get_by_label(
        "Eastfield"
    ).check()
    page.get_by_label(COMPLETED).check()
    page.get_by_role("button", name="Save and continue").click()

    expect(page.get_by_text("You have completed 2 of 2 sections.")).to_be_visible()
    page.get_by_role("link", name="Check your answers and submit").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Check your answers before submitting your application"
    )
    expect(page.locator(".govuk-summary-list__value li", has_text="Eastfield")).to_be_visible()
    check(page)
    page.get_by_label("I confirm that the information").check()
    page.get_by_role("button", name="Accept and submit application").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Application submitted")
    application = Application.objects.get(round=round)
    expect(page.locator(".govuk-panel__body")).to_contain_text(application.reference)
    assert application.eligibility["eligible"] is True
    check(page)

    # The PDF copy is rendered after the page has been sent, then emailed.
    wait_for(lambda: mailoutbox)
    assert [message.to for message in mailoutbox] == [[user.email]]
    assert application.reference in mailoutbox[0].body
    name, content, mimetype = mailoutbox[0].attachments[0]
    assert (name, mimetype) == (f"{application.reference}.pdf", "application/pdf")
    assert content.startswith(b"%PDF")


def test_member_applies_across_two_sittings_with_autosave(page: Page, live_server, mailoutbox):
    _apply(page, live_server, mailoutbox, javascript=True, check=axe_check)


def test_member_applies_without_javascript(page_without_js: Page, live_server, mailoutbox):
    _apply(page_without_js, live_server, mailoutbox, javascript=False, check=lambda page: None)


def test_member_is_told_when_the_budget_changed_after_they_opened_it(page: Page, live_server):
    round = OpenRoundFactory(title="Eastfield get-together grants")
    questions = micro_form(round)
    membership = group_with_member(organisation=OrganisationFactory(name="Eastfield Walkers"))
    application = services.application_start(
        round=round, organisation=membership.organisation, actor=membership.user
    )
    hall = services.BudgetRow(kind="cost", item="Hall hire", category="", amount=Decimal(300))
    services.budget_save(application=application, rows=[hall], actor=membership.user)
    sign_in(page, live_server, membership.user.email, PASSWORD)
    page.get_by_role("link", name="Your applications", exact=True).click()
    page.get_by_role("link", name="Eastfield get-together grants").click()
    page.get_by_role("link", name=questions["people"].section.title).click()
    page.get_by_role("link", name="Change your budget").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your budget")

    # Another member adds a line while this page is open.
    other = group_with_member(organisation=membership.organisation, role="editor").user
    tea = services.BudgetRow(kind="cost", item="Tea", category="", amount=Decimal(50))
    services.budget_save(application=application, rows=[hall, tea], actor=other)
    page.get_by_label("Costs, row 2, what it is for").fill("Maps")
    page.get_by_label("Costs, row 2, amount in pounds").fill("20")
    page.get_by_role("button", name="Save and come back later").click()

    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Someone changed this budget after you opened it"
    )
    expect(page.locator("#budget-not-saved")).to_contain_text("Cost: Maps, £20")
    expect(page.get_by_label("Costs, row 2, what it is for")).to_have_value("Tea")
    axe_check(page)
    assert [line.item for line in application.budget_lines.all()] == ["Hall hire", "Tea"]
    page.get_by_label("Costs, row 3, what it is for").fill("Maps")
    page.get_by_label("Costs, row 3, amount in pounds").fill("20")
    page.get_by_role("button", name="Save and come back later").click()
    expect(page.get_by_text("Your budget has been saved.")).to_be_visible()
    assert [line.item for line in application.budget_lines.all()] == ["Hall hire", "Tea", "Maps"]
