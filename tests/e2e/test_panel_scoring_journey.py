"""A lay member declares an interest in one group, then scores two applications: one on a
360-pixel phone screen, the other with JavaScript turned off. Every page passes axe (run
where JavaScript is on: axe-core is a script)."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from panels.models import ConflictDeclaration, Scorecard
from tests.applications.factories import SubmittedApplicationFactory, group_with_owner
from tests.e2e.conftest import axe_check, sign_in
from tests.microcomm.factories import PASSWORD, UserFactory
from tests.panels.factories import (
    CriterionFactory,
    PanelFactory,
    PanelMemberFactory,
    RubricFactory,
    ScorecardFactory,
)
from tests.rounds.factories import closed_round

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}
CRITERIA = (("Need", 40), ("Community benefit", 30), ("Deliverability", 20), ("Value", 10))


def _scheme():
    round = closed_round(title="Warm spaces")
    rubric = RubricFactory(round=round)
    for position, (name, weight) in enumerate(CRITERIA):
        CriterionFactory(rubric=rubric, position=position, name=name, weight=Decimal(weight))
    panel = PanelFactory(round=round, scorers_per_application=1)
    member = PanelMemberFactory(
        panel=panel, user=UserFactory(full_name="Lou Lay", email="lou@example.net")
    )
    applications = {}
    for name, title in (
        ("Riverside Walkers", "Walking for health"),
        ("Hilltop Crafters", "Knit and natter"),
        ("Meadow Growers", "Community allotment"),
    ):
        organisation, _owner = group_with_owner(name=name)
        applications[name] = SubmittedApplicationFactory(
            round=round, organisation=organisation, title=title
        )
        ScorecardFactory(member=member, application=applications[name])
    return member, applications


def _score_every_criterion(page: Page, value: str) -> None:
    for name, weight in CRITERIA:
        group = page.get_by_role("group", name=f"{name} ({weight}% of the score)")
        group.get_by_role("radio", name=re.compile(f"^{value}: ")).check()
        page.get_by_label(f"Your comment on {name}").fill(f"Scored {value} for {name.lower()}")


def _fits_the_screen(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width} pixels wide on a phone"


def test_a_lay_member_declares_a_conflict_and_scores_on_a_phone_and_without_javascript(
    page: Page, page_without_js: Page, live_server
):
    member, applications = _scheme()
    meadow = applications["Meadow Growers"]

    # On a phone, from the home page, Lou declares her interests.
    sign_in(page, live_server, member.user.email, PASSWORD)
    page.set_viewport_size(PHONE)
    page.get_by_role("link", name="Your panels").click()
    page.get_by_role("link", name="Declare your interests for Warm spaces").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Declare your interests")
    axe_check(page)
    _fits_the_screen(page)

    page.get_by_label("No, I have no interest in Riverside Walkers").check()
    page.get_by_label("No, I have no interest in Hilltop Crafters").check()
    page.get_by_label("Yes, I have an interest in Meadow Growers").check()
    interest = page.get_by_role("group", name="What is your interest in Meadow Growers?")
    interest.get_by_label("I am a trustee or committee member").check()
    page.get_by_role("button", name="Save your declarations").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(
        page.get_by_role("link", name="Describe your interest in Meadow Growers")
    ).to_be_visible()
    axe_check(page)
    page.get_by_label("Describe your interest in Meadow Growers").fill("I chair its committee")
    page.get_by_role("button", name="Save your declarations").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Applications to score")
    expect(page.get_by_text("Your declarations are saved")).to_be_visible()
    expect(page.get_by_text("Community allotment")).to_have_count(0)
    axe_check(page)
    _fits_the_screen(page)
    assert ConflictDeclaration.objects.get(interest="trustee").organisation == meadow.organisation
    assert not Scorecard.objects.filter(application=meadow).exists()

    # She scores the first application on her phone, saving part way.
    page.get_by_role("link", name=re.compile("Walking for health")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Walking for health")
    axe_check(page)
    _fits_the_screen(page)
    page.get_by_role("group", name="Need (40% of the score)").get_by_role(
        "radio", name=re.compile("^3: ")
    ).check()
    page.get_by_role("button", name="Save and come back later").click()
    expect(page.get_by_text(re.compile("are saved"))).to_be_visible()
    page.get_by_role("link", name=re.compile("Walking for health")).click()
    _score_every_criterion(page, "3")
    page.get_by_role("button", name="Submit your scores").click()
    expect(page.get_by_text(re.compile("are submitted"))).to_be_visible()
    expect(page.get_by_text("You have scored 1 of 2.")).to_be_visible()
    axe_check(page)
    walking = Scorecard.objects.get(application=applications["Riverside Walkers"])
    assert (walking.status, walking.weighted_score) == ("submitted", Decimal("100.00"))

    # Later, on a computer with JavaScript off, she scores the second one.
    sign_in(page_without_js, live_server, member.user.email, PASSWORD)
    page_without_js.get_by_role("link", name="Your panels").click()
    page_without_js.get_by_role("link", name="Your applications to score for Warm spaces").click()
    page_without_js.get_by_role("link", name=re.compile("Knit and natter")).click()
    # axe-core needs JavaScript: the same pages were checked on the phone above.
    expect(page_without_js.get_by_role("heading", level=1)).to_contain_text("Knit and natter")
    _score_every_criterion(page_without_js, "1")
    page_without_js.get_by_role("button", name="Submit your scores").click()
    expect(page_without_js.get_by_text("You have scored 2 of 2.")).to_be_visible()
    knitting = Scorecard.objects.get(application=applications["Hilltop Crafters"])
    assert (knitting.status, knitting.weighted_score) == ("submitted", Decimal("33.33"))
