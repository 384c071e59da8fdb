"""Pages that used to be dead ends, walked by links from each person's home page."""

import pytest
from playwright.sync_api import expect

from applications.services import applying as services
from tests.applications.factories import AnswerFactory, SubmittedApplicationFactory
from tests.e2e.conftest import axe_check, sign_in
from tests.microcomm.factories import (
    PASSWORD,
    OrganisationFactory,
    ThemeFactory,
    commissioner,
    group_with_member,
    link_worker,
)
from tests.rounds.factories import (
    OpenRoundFactory,
    closed_round,
    draft_round,
    micro_form,
    need_with_signals,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_commissioner_reaches_the_assessment_from_home(page, live_server):
    boss = commissioner(email="boss@example.org")
    round = closed_round(title="Winter warmth")
    SubmittedApplicationFactory(round=round)

    sign_in(page, live_server, boss.email, PASSWORD)
    expect(page.get_by_text("Closed: start the assessment")).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name="Assess the applications of Winter warmth").click()

    expect(page.get_by_role("heading", name="1 application")).to_be_visible()
    page.get_by_role("link", name="Home", exact=True).click()
    page.get_by_role("link", name="See all funding rounds").click()
    axe_check(page)
    page.get_by_role("link", name="Winter warmth", exact=True).click()
    axe_check(page)
    page.get_by_role("link", name="Assess the applications").click()
    expect(page.get_by_role("heading", name="1 application")).to_be_visible()


def test_commissioner_previews_a_draft_rounds_public_page(page, live_server):
    boss = commissioner(email="boss@example.org")
    draft_round(title="Spring gardens")

    sign_in(page, live_server, boss.email, PASSWORD)
    page.get_by_role("link", name="See all funding rounds").click()
    page.get_by_role("link", name="Spring gardens", exact=True).click()
    page.get_by_role("link", name="Preview the round's public page").click()

    expect(page.get_by_text("Preview: this round is not published")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Spring gardens")
    axe_check(page)
    page.get_by_role("link", name="Back to managing this round").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Spring gardens")


def test_link_worker_is_told_the_group_has_a_draft_and_joins_it(page, live_server):
    round = OpenRoundFactory(title="Warm spaces")
    micro_form(round)
    owner = group_with_member(organisation=OrganisationFactory(name="Riverside Walkers"))
    services.application_start(round=round, organisation=owner.organisation, actor=owner.user)
    helper = link_worker(email="helper@example.org")

    sign_in(page, live_server, helper.email, PASSWORD)
    expect(page.get_by_text("You are not helping a group with an application now.")).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name="Start an application for a group").click()
    page.get_by_label("Which round is the group applying to?").select_option(label="Warm spaces")
    page.get_by_label("Which group are you helping?").select_option(label="Riverside Walkers")
    page.get_by_role("button", name="Start application").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Riverside Walkers already has an application to this round"
    )
    axe_check(page)
    page.get_by_role("button", name="Help with this application").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your application to Warm spaces")
    page.get_by_role("link", name="Home", exact=True).click()
    expect(page.get_by_role("link", name="Riverside Walkers: Warm spaces")).to_be_visible()


def test_member_reads_a_submitted_applications_section(page, live_server):
    round = OpenRoundFactory(title="Warm spaces")
    questions = micro_form(round)
    member = group_with_member(organisation=OrganisationFactory(name="Riverside Walkers"))
    application = SubmittedApplicationFactory(round=round, organisation=member.organisation)
    AnswerFactory(application=application, question=questions["name"], value="The Walkers")

    sign_in(page, live_server, member.user.email, PASSWORD)
    page.get_by_role("link", name="Your applications").first.click()
    page.get_by_role("link", name="Warm spaces for Riverside Walkers").click()
    page.get_by_role("link", name="About your group").click()

    expect(
        page.get_by_text("This application has been submitted, so it can no longer be changed")
    ).to_be_visible()
    expect(page.get_by_text("The Walkers")).to_be_visible()
    expect(page.get_by_role("textbox")).to_have_count(0)
    axe_check(page)


def test_link_worker_merges_a_duplicate_need(page, live_server):
    theme = ThemeFactory(name="Food")
    need_with_signals(2, theme=theme, title="No lunch club in Fenwick")
    need_with_signals(1, theme=theme, title="Nowhere to eat together")
    helper = link_worker(email="helper@example.org")

    sign_in(page, live_server, helper.email, PASSWORD)
    page.get_by_role("link", name="Needs", exact=True).click()
    page.get_by_role("link", name="Nowhere to eat together").click()
    page.get_by_role("button", name="Merge into another need").click()
    axe_check(page)
    page.get_by_label("No lunch club in Fenwick").check()
    page.get_by_label("Why are they the same need?").fill("The same gap, logged twice")
    page.get_by_role("button", name="Merge needs").click()

    expect(page.get_by_text("Merged. 3 signals for No lunch club in Fenwick")).to_be_visible()
    axe_check(page)
