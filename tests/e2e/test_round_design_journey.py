import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from microcomm.demo import DEMO_PASSWORD
from rounds.demo import demo_seed_rounds
from rounds.demo_funding import FUND_NAME, demo_seed_funding
from rounds.models import Round
from rounds.templatetags.funding_tags import london_datetime
from tests.e2e.conftest import axe_check, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def funding_demo(demo):
    demo_seed_rounds()
    demo_seed_funding()
    return demo


def fill_date(page: Page, legend: str, day: datetime.date) -> None:
    group = page.get_by_role("group", name=legend, exact=True)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def test_commissioner_starts_a_round_from_the_gaps(page: Page, live_server, funding_demo):
    today = timezone.localdate()
    opens = today + datetime.timedelta(days=30)
    closes = today + datetime.timedelta(days=60)

    sign_in(page, live_server, "commissioner@example.org", DEMO_PASSWORD)
    expect(
        page.get_by_role("heading", name="Funding rounds that need your attention")
    ).to_be_visible()
    axe_check(page)

    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Gaps").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Gap analysis")
    page.get_by_role(
        "button", name=re.compile(r"^Start a round from (this gap|these \d+ gaps)$")
    ).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Set up a funding round")
    expect(page.get_by_text("filled in from the gaps you chose")).to_be_visible()
    themes = page.get_by_role("group", name="Themes (optional)")
    expect(themes.get_by_label("Money and debt")).to_be_checked()
    axe_check(page)

    page.get_by_label("Fund", exact=True).select_option(label=f"{FUND_NAME} (£21,000 left)")
    page.get_by_label("Title", exact=True).fill("Gaps round: debt and loneliness")
    page.get_by_label("Summary", exact=True).fill("Grants where the gap analysis shows no service.")
    page.get_by_label("Amount for the round", exact=True).fill("£4,000")
    page.get_by_label("Minimum grant", exact=True).fill("200")
    page.get_by_label("Maximum grant", exact=True).fill("£5,000")
    expect(page.get_by_role("radio", name=re.compile(r"^Micro"))).to_be_checked()
    fill_date(page, "Opening date", opens)
    fill_date(page, "Closing date", closes)
    fill_date(page, "Scoring due", closes + datetime.timedelta(days=14))
    fill_date(page, "Decisions by", closes + datetime.timedelta(days=28))
    fill_date(page, "Grants start", closes + datetime.timedelta(days=42))
    fill_date(page, "First monitoring report due", closes + datetime.timedelta(days=130))
    fill_date(page, "Evaluation due", closes + datetime.timedelta(days=400))
    page.get_by_role("button", name="Save round").click()

    summary = page.get_by_role("alert")
    message = "Enter a maximum grant that is no more than the round's amount of £4,000"
    expect(summary.get_by_role("link", name=message)).to_be_visible()
    axe_check(page)
    summary.get_by_role("link", name=message).click()
    expect(page.get_by_label("Maximum grant", exact=True)).to_be_focused()
    page.get_by_label("Maximum grant", exact=True).fill("1,000")
    page.get_by_role("button", name="Save round").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Gaps round: debt and loneliness")
    round = Round.objects.get(slug="gaps-round-debt-and-loneliness")
    expect(page.get_by_text(london_datetime(round.closes_at)).first).to_be_visible()
    timeline = page.locator("ol.mc-timeline").first
    expect(timeline.get_by_role("heading", name="Applications open")).to_be_visible()
    expect(timeline.get_by_role("heading", name="Evaluation due")).to_be_visible()
    expect(page.get_by_role("link", name="Application form")).to_have_attribute(
        "href", f"/manage/rounds/{round.slug}/form/"
    )
    expect(page.get_by_text("Publish the application form before you schedule")).to_be_visible()
    axe_check(page)
    assert round.priority_themes.filter(slug="money-and-debt").exists()


def test_funds_and_rounds_pages_are_accessible(page: Page, live_server, funding_demo):
    sign_in(page, live_server, "commissioner@example.org", DEMO_PASSWORD)
    menu = page.get_by_role("navigation", name="Menu")
    menu.get_by_role("link", name="Funding", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Funds")
    axe_check(page)
    page.get_by_role("link", name=FUND_NAME).click()
    expect(page.get_by_text("£50,000").first).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name="Edit this fund").click()
    expect(page.get_by_role("group", name="Funding source 2")).to_be_visible()
    axe_check(page)
    menu.get_by_role("link", name="Funding", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Funds")
    # A link styled as a button, as GOV.UK does for a call to action that opens a page.
    page.get_by_role("button", name="Add a fund", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a fund")
    page.get_by_role("button", name="Save fund").click()
    expect(
        page.get_by_role("alert").get_by_role("link", name="Enter the name of the fund")
    ).to_be_visible()
    axe_check(page)
    menu.get_by_role("link", name="Funding", exact=True).click()
    page.get_by_role("link", name="See all funding rounds", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Funding rounds")
    axe_check(page)
    page.get_by_role("link", name="Tackling loneliness: micro grants", exact=True).click()
    expect(page.get_by_role("button", name="Close now")).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name="Copy to start a new round").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Copy to start a new round")
    axe_check(page)
    page.get_by_role("link", name="Back", exact=True).click()
    expect(page.get_by_role("button", name="Close now")).to_be_visible()
    page.get_by_role(
        "link", name="Add a support session, panel meeting or interviews", exact=True
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add an event to the timeline")
    axe_check(page)
