"""A commissioner agrees how a round will be scored, then groups see it on the round's page."""

import pytest
from playwright.sync_api import Page, expect

from microcomm.demo import DEMO_PASSWORD
from tests.e2e.conftest import axe_check, sign_in
from tests.rounds.factories import round_with_form

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("tasks_inline")]

TITLE = "Befriending micro grants"


def test_a_commissioner_sets_the_scoring_system_and_groups_see_it(page: Page, live_server, demo):
    round_with_form(title=TITLE, slug="befriending-micro-grants")

    sign_in(page, live_server, "commissioner@example.org", DEMO_PASSWORD)
    page.get_by_role("link", name=TITLE, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(
        page.get_by_text("Set how applications will be scored before you schedule")
    ).to_be_visible()
    expect(page.get_by_role("button", name="Schedule the round")).to_have_count(0)
    axe_check(page)

    page.get_by_role("link", name="How applications will be scored").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("How applications will be scored")
    expect(page.get_by_text("This round has no scoring system yet")).to_be_visible()
    axe_check(page)

    page.get_by_role("button", name="Choose a preset").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Start the scoring system from a preset"
    )
    axe_check(page)
    page.get_by_role("radio", name="Micro grants").check()
    page.get_by_role("button", name="Use this preset").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Change the scoring system")
    axe_check(page)
    need = page.get_by_role("group", name="Criterion 1: Need")
    benefit = page.get_by_role("group", name="Criterion 2: Benefit to the community")
    need.get_by_label("Weight (% of the marks)").fill("30")
    page.get_by_role("button", name="Save the scoring system").click()

    # Weights that no longer add up: nothing is saved, the error links to the weight.
    summary = page.get_by_role("alert")
    message = "The weights must add up to 100%. They add up to 95%"
    expect(summary.get_by_role("link", name=message)).to_be_visible()
    axe_check(page)
    summary.get_by_role("link", name=message).click()
    expect(need.get_by_label("Weight (% of the marks)")).to_be_focused()
    benefit.get_by_label("Weight (% of the marks)").fill("40")
    need.get_by_label("What earns 3").fill("Link workers tell us people in the ward ask for this")
    page.get_by_role("button", name="Save the scoring system").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("How applications will be scored")
    expect(page.get_by_text("Scoring system saved")).to_be_visible()
    expect(page.get_by_text("Link workers tell us people in the ward ask for this")).to_be_visible()
    axe_check(page)

    page.get_by_role("link", name="Back to the round").click()
    page.get_by_role("button", name="Schedule the round").click()
    expect(page.get_by_text("This round is scheduled.")).to_be_visible()
    page.get_by_role("link", name="The round's public page").click()

    expect(page.get_by_role("heading", name="How we will score")).to_be_visible()
    expect(page.get_by_role("heading", name="Need (30% of the marks)")).to_be_visible()
    expect(
        page.get_by_role("cell", name="Link workers tell us people in the ward ask for this")
    ).to_be_visible()
    axe_check(page)
