"""A commissioner turns the gap analysis into a round, builds its form and schedules it."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from microcomm.demo import DEMO_PASSWORD
from rounds.demo_funding import FUND_NAME
from rounds.models import Question, Round
from tests.e2e.conftest import axe_check, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("tasks_inline")]

TITLE = "Debt advice near you: micro grants"
SLUG = "debt-advice-near-you-micro-grants"
NEW_QUESTION = "Who will run the sessions?"


def _fill_date(page: Page, legend: str, day: datetime.date) -> None:
    group = page.get_by_role("group", name=legend, exact=True)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def test_a_commissioner_turns_gaps_into_a_published_round(
    page: Page, browser: Browser, live_server, demo
):
    today = timezone.localdate()
    opens = today + datetime.timedelta(days=21)
    closes = today + datetime.timedelta(days=49)

    sign_in(page, live_server, "commissioner@example.org", DEMO_PASSWORD)
    axe_check(page)

    # From the gaps to a new round.
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Gaps").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Gap analysis")
    axe_check(page)
    page.get_by_role(
        "button", name=re.compile(r"^Start a round from (this gap|these \d+ gaps)$")
    ).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Set up a funding round")
    expect(page.get_by_text("filled in from the gaps you chose")).to_be_visible()
    axe_check(page)
    fund = page.get_by_label("Fund", exact=True)
    fund_label = fund.locator("option", has_text=FUND_NAME).first.text_content()
    assert fund_label is not None
    fund.select_option(label=fund_label.strip())
    page.get_by_label("Title", exact=True).fill(TITLE)
    page.get_by_label("Summary", exact=True).fill("Small grants where people lack debt advice.")
    page.get_by_label("Amount for the round", exact=True).fill("£3,000")
    page.get_by_label("Minimum grant", exact=True).fill("£100")
    page.get_by_label("Maximum grant", exact=True).fill("£750")
    expect(page.get_by_role("radio", name=re.compile(r"^Micro"))).to_be_checked()
    _fill_date(page, "Opening date", opens)
    _fill_date(page, "Closing date", closes)
    _fill_date(page, "Scoring due", closes + datetime.timedelta(days=14))
    _fill_date(page, "Decisions by", closes + datetime.timedelta(days=28))
    _fill_date(page, "Grants start", closes + datetime.timedelta(days=42))
    _fill_date(page, "First monitoring report due", closes + datetime.timedelta(days=130))
    _fill_date(page, "Evaluation due", closes + datetime.timedelta(days=400))
    page.get_by_role("button", name="Save round").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.get_by_text("Publish the application form before you schedule")).to_be_visible()
    axe_check(page)

    # Build the form: add a question, preview it, download it, publish it.
    page.get_by_role("link", name="Application form").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Application form")
    expect(page.get_by_text("Not published")).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name="Add a question to Your idea").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a question to ‘Your idea’")
    axe_check(page)
    page.get_by_label("Question", exact=True).fill(NEW_QUESTION)
    page.get_by_label("Short text").check()
    page.get_by_label("No, it is optional").check()
    page.get_by_role("button", name="Save question").click()

    expect(page.get_by_text(f"Question ‘{NEW_QUESTION}’ added")).to_be_visible()
    row = page.locator(".govuk-summary-list__row", has_text=NEW_QUESTION)
    expect(row).to_contain_text("(optional)")
    axe_check(page)

    page.get_by_role("link", name="Preview the form as applicants will see it").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Preview the application form")
    expect(page.get_by_label(f"{NEW_QUESTION} (optional)")).to_be_visible()
    axe_check(page)

    page.get_by_role("link", name="Back to the form builder").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Application form")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the questions as a PDF").click()
        # The PDF is made after this page is sent (never inside a request); the page asks
        # again a few seconds later, when the download starts.
        expect(page.get_by_role("heading", level=1)).to_have_text("Your PDF is being prepared")
    download = download_info.value
    assert download.suggested_filename == f"{SLUG}-questions.pdf"
    with open(download.path(), "rb") as handle:
        assert handle.read(4) == b"%PDF"

    page.go_back()
    page.get_by_role("button", name="Publish the form").click()
    expect(page.get_by_role("alert")).to_contain_text("Form published")
    expect(page.get_by_role("button", name="Unpublish the form")).to_be_visible()
    axe_check(page)

    # Schedule the round.
    page.get_by_role("link", name="Back to the round").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    axe_check(page)
    page.get_by_role("button", name="Schedule the round").click()
    expect(page.get_by_text("This round is scheduled. It opens by itself at")).to_be_visible()
    axe_check(page)

    round = Round.objects.get(slug=SLUG)
    assert round.status == Round.Status.SCHEDULED
    assert round.form_published_at is not None
    assert Question.objects.filter(section__round=round, label=NEW_QUESTION).exists()

    # Anyone, signed out, sees it coming.
    context = browser.new_context(base_url=live_server.url)
    try:
        visitor = context.new_page()
        visitor.goto("/")
        visitor.get_by_role("navigation", name="Menu").get_by_role(
            "link", name="Funding rounds", exact=True
        ).click()
        expect(visitor.get_by_role("heading", level=1)).to_have_text("Funding rounds")
        expect(visitor.get_by_role("link", name="Sign in", exact=True)).to_be_visible()
        opening_soon = visitor.locator(
            "xpath=//h2[normalize-space()='Opening soon']/following-sibling::div"
            "[contains(@class, 'mc-round-card')]"
            "[preceding-sibling::h2[1][normalize-space()='Opening soon']]"
        )
        expect(opening_soon.get_by_role("link", name=TITLE)).to_be_visible()
        axe_check(visitor)
        opening_soon.get_by_role("link", name=TITLE).click()
        expect(visitor.get_by_role("heading", level=1)).to_have_text(TITLE)
        expect(visitor.get_by_role("button", name="Start your application")).to_have_count(0)
        axe_check(visitor)
    finally:
        context.close()
