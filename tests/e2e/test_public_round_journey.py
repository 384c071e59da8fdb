import re
from decimal import Decimal

import pytest
from django.db.models import Sum
from playwright.sync_api import Page, expect

from microcomm.demo import DEMO_PASSWORD
from microcomm.models import LegalForm, Locality, Theme
from rounds.models import Faq, Need, SupportRequest
from tests.e2e.conftest import axe_check, sign_in
from tests.rounds.factories import FaqFactory, GuidanceResourceFactory, ScheduledRoundFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def round(demo):
    abbey = Locality.objects.get(name="Abbey Fields", kind=Locality.Kind.WARD)
    loneliness = Theme.objects.get(slug="loneliness-and-isolation")
    round = ScheduledRoundFactory(
        title="Connecting Abbey Fields",
        slug="connecting-abbey-fields",
        allowed_legal_forms=[LegalForm.UNINCORPORATED, LegalForm.CHARITY, LegalForm.CIO],
        maximum_annual_income=Decimal("25000"),
        must_address_priority=True,
        eligible_localities=[abbey],
        priority_themes=[loneliness],
        priority_localities=[abbey],
    )
    FaqFactory(round=round, question="Can a group without a bank account apply?")
    GuidanceResourceFactory(round=round, title="Model constitution")
    Faq.objects.create(question="Who runs these grants?", answer="The Marshbrook scheme.")
    return round


def times_logged(theme: str, place: str) -> int:
    needs = Need.objects.filter(
        theme__slug=theme,
        locality__name=place,
        status__in=[Need.Status.OPEN, Need.Status.BEING_ADDRESSED],
        merged_into__isnull=True,
    )
    return needs.aggregate(total=Sum("signal_count"))["total"] or 0


def answer_eligibility(page: Page, *, income: str, place: str) -> None:
    page.get_by_label("Registered charity").check()
    page.get_by_label("What is your group’s income in a year?").fill(income)
    page.get_by_label(place, exact=True).check()
    page.get_by_label("How much would you like to ask for?").fill("1,500")
    page.get_by_label("Yes", exact=True).check()
    page.get_by_role("button", name="Check").click()


def test_a_group_finds_a_round_checks_it_can_apply_and_asks_for_help(
    page: Page, live_server, round, tasks_inline, mailoutbox
):
    # Seeding the demo tells its panel members they were seated; this journey's emails
    # are the ones that follow.
    mailoutbox.clear()
    page.goto("/")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Funding rounds").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Funding rounds")
    axe_check(page)

    page.get_by_role("link", name="Connecting Abbey Fields").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Connecting Abbey Fields")
    count = times_logged("loneliness-and-isolation", "Abbey Fields")
    assert count > 0
    expect(
        page.get_by_text(
            f"Loneliness and isolation in Abbey Fields: {count} times logged by link workers"
        )
    ).to_be_visible()
    expect(page.get_by_text("Can a group without a bank account apply?")).to_be_visible()
    expect(page.get_by_role("link", name="Model constitution")).to_be_visible()
    axe_check(page)

    page.get_by_role("link", name="Check if your group can apply").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check if your group can apply")
    axe_check(page)
    page.get_by_role("button", name="Check").click()
    expect(page.get_by_role("alert")).to_contain_text("Select what kind of group you are")
    axe_check(page)

    answer_eligibility(page, income="£12,000", place="Abbey Fields")
    expect(page.get_by_role("heading", level=1)).to_contain_text("You can apply")
    expect(page.get_by_role("button", name="Start your application")).to_be_visible()
    axe_check(page)

    page.get_by_role("link", name="Change your answers").click()
    # The answers are kept, to change one without typing the rest again.
    expect(page.get_by_label("What is your group’s income in a year?")).to_have_value("£12,000")
    expect(page.get_by_label("Abbey Fields", exact=True)).to_be_checked()
    expect(page.get_by_label("Registered charity")).to_be_checked()
    axe_check(page)
    page.get_by_label("Abbey Fields", exact=True).uncheck()
    answer_eligibility(page, income="40000", place="Fenwick")
    expect(page.get_by_role("heading", level=1)).to_have_text("You cannot apply to this round")
    expect(page.get_by_text("You told us your income is £40,000.", exact=False)).to_be_visible()
    expect(page.get_by_text("You told us you work in Fenwick.", exact=False)).to_be_visible()
    axe_check(page)

    page.get_by_role("link", name="Back to Connecting Abbey Fields", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Connecting Abbey Fields")
    page.get_by_role("link", name="questions about every round").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Questions groups often ask")
    expect(page.get_by_text("Who runs these grants?")).to_be_visible()
    axe_check(page)

    page.get_by_role("link", name="Back to funding rounds", exact=True).click()
    page.get_by_role("link", name="Connecting Abbey Fields", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Connecting Abbey Fields")
    page.get_by_role("link", name="Ask for help to apply").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ask for help to apply")
    axe_check(page)
    page.get_by_label("Your name").fill("Ada Lovelace")
    page.get_by_label("Your group’s name (optional)").fill("Abbey Fields Knitters")
    page.get_by_label("Help filling in the form").check()
    page.get_by_label("Text message").check()
    page.get_by_label("Phone number").fill("0770 09")
    page.get_by_role("button", name="Send request").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter a UK phone number")
    axe_check(page)
    page.get_by_label("Phone number").fill("07700 900982")
    page.get_by_label("Email address").fill("ada@example.org")
    page.get_by_role("button", name="Send request").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Request sent")
    expect(page.get_by_text("We have sent a confirmation to ada@example.org")).to_be_visible()
    axe_check(page)
    assert [message.to for message in mailoutbox] == [["ada@example.org"]]
    assert "Connecting Abbey Fields" in mailoutbox[0].body


def test_a_link_worker_picks_up_a_request_and_closes_it(page: Page, live_server, round):
    request = SupportRequest.objects.create(
        round=round,
        name="Ada Lovelace",
        group_name="Abbey Fields Knitters",
        phone="07700 900982",
        contact_preference=SupportRequest.Contact.PHONE,
        help_needed=[SupportRequest.Help.CONSTITUTION],
    )
    sign_in(page, live_server, "linkworker@example.org", DEMO_PASSWORD)
    expect(page.get_by_role("link", name="Abbey Fields Knitters")).to_be_visible()
    axe_check(page)

    page.get_by_role("link", name="Abbey Fields Knitters").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Help for Abbey Fields Knitters")
    axe_check(page)
    page.get_by_label("Who will help this group?").select_option(label="Sam Okafor")
    page.get_by_role("button", name="Assign").click()
    expect(page.get_by_text("Request assigned to Sam Okafor")).to_be_visible()
    axe_check(page)

    page.get_by_role("button", name="Close request").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter what you did to help")
    axe_check(page)
    page.get_by_label("What did you do to help?").fill("Called and sent a model constitution")
    page.get_by_role("button", name="Close request").click()

    expect(page).to_have_url(re.compile(rf"/support-requests/{request.pk}/$"))
    expect(page.get_by_text("Request closed")).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name="Back to requests").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Requests for help to apply")
    axe_check(page)
    request.refresh_from_db()
    assert request.status == SupportRequest.Status.CLOSED
    assert request.notes == "Called and sent a model constitution"
