"""After the meeting: a commissioner approves feedback, releases the decisions and runs the
interviews; the group reads its decision and chooses an interview time; a member makes
their panel pack. Every page is checked with axe."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from panels.models import Decision, InterviewInvitation
from tests.applications.factories import SubmittedApplicationFactory, group_with_owner
from tests.e2e.conftest import axe_check, sign_in
from tests.microcomm.factories import PASSWORD, commissioner
from tests.panels.factories import (
    DecisionFactory,
    PanelFactory,
    PanelMemberFactory,
    ScorecardFactory,
    rubric_for,
)
from tests.rounds.factories import closed_round

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _decided(title: str = "Carers' breaks"):
    round = closed_round(title=title)
    rubric_for(round)
    panel = PanelFactory(round=round)
    organisation, owner = group_with_owner(name="Kiln Lane Friends")
    application = SubmittedApplicationFactory(round=round, organisation=organisation)
    return panel, application, owner


def test_commissioner_approves_and_releases_then_the_group_reads_its_decision(
    page: Page, live_server, tasks_inline
):
    boss = commissioner(email="boss@example.org")
    panel, application, owner = _decided()
    DecisionFactory(application=application, reason="The need was not shown.")

    sign_in(page, live_server, boss.email, PASSWORD)
    page.get_by_role("link", name="See all funding rounds").click()
    page.get_by_role("link", name="Carers' breaks", exact=True).click()
    page.get_by_role("link", name="The panel and its members").click()
    page.get_by_role("link", name="Feedback and releasing decisions").click()
    expect(page.get_by_role("heading", name="Feedback and decisions")).to_be_visible()
    axe_check(page)

    page.get_by_role("link", name=re.compile("^Check and approve")).click()
    expect(page.get_by_label("Feedback to the group")).to_contain_text("The need was not shown.")
    axe_check(page)
    page.get_by_role("button", name="Save and approve").click()
    expect(page.get_by_text(f"Feedback on {application.reference} approved")).to_be_visible()

    page.get_by_role("button", name="Release decisions and feedback").click()
    axe_check(page)
    page.get_by_role("button", name="Release decisions and feedback").click()
    expect(page.get_by_text("Decisions and feedback released")).to_be_visible()
    assert Decision.objects.get(application=application).status == Decision.Status.RELEASED
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, live_server, owner.email, PASSWORD)
    page.get_by_role("link", name="Your applications").first.click()
    page.get_by_role("link", name=re.compile("Carers' breaks")).first.click()
    page.get_by_role("link", name="The panel’s decision and feedback").click()
    expect(page.get_by_role("heading", name="The panel’s decision")).to_be_visible()
    expect(page.get_by_text("The need was not shown.").first).to_be_visible()
    expect(page.get_by_role("heading", name="Where to find help")).to_be_visible()
    axe_check(page)


def test_commissioner_offers_times_and_the_group_chooses_one(page: Page, live_server, tasks_inline):
    boss = commissioner(email="boss@example.org")
    panel, application, owner = _decided("Warm spaces")
    DecisionFactory(application=application, outcome=Decision.Outcome.INTERVIEW)

    sign_in(page, live_server, boss.email, PASSWORD)
    page.get_by_role("link", name="See all funding rounds").click()
    page.get_by_role("link", name="Warm spaces", exact=True).click()
    page.get_by_role("link", name="The panel and its members").click()
    page.get_by_role("link", name="Interviews", exact=True).click()
    axe_check(page)
    page.get_by_role("button", name="Add an interview time").click()
    day = timezone.localdate() + datetime.timedelta(days=10)
    page.get_by_label("Day").fill(str(day.day))
    page.get_by_label("Month").fill(str(day.month))
    page.get_by_label("Year").fill(str(day.year))
    page.get_by_label("Start time").fill("10am")
    page.get_by_label("End time").fill("11am")
    page.get_by_label("Place (optional)").fill("Marsh Lane Hall")
    axe_check(page)
    page.get_by_role("button", name="Add this time").click()
    expect(page.get_by_text("Interview time added")).to_be_visible()
    page.get_by_role("button", name="Invite groups to interview").click()
    page.get_by_label(re.compile(application.reference)).check()
    axe_check(page)
    page.get_by_role("button", name="Send invitations").click()
    expect(page.get_by_text("Invited 1 group")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, live_server, owner.email, PASSWORD)
    page.get_by_role("link", name="Your applications").first.click()
    page.get_by_role("link", name=re.compile("Warm spaces")).first.click()
    page.get_by_role("link", name="Choose a time for your interview").click()
    axe_check(page)
    page.get_by_label(re.compile("Marsh Lane Hall")).check()
    page.get_by_label("Access needs (optional)").fill("Step-free access")
    page.get_by_role("button", name="Choose this time").click()
    expect(page.get_by_text("Interview time chosen")).to_be_visible()
    invitation = InterviewInvitation.objects.get(application=application)
    assert invitation.slot is not None and invitation.access_needs == "Step-free access"


def test_member_makes_their_panel_pack(page: Page, live_server, tasks_inline):
    panel, application, _owner = _decided("Lunch clubs")
    member = PanelMemberFactory(panel=panel, user__full_name="Rosa Fenwick")
    ScorecardFactory(member=member, application=application)

    sign_in(page, live_server, member.user.email, PASSWORD)
    page.get_by_role("link", name="your panel pack for Lunch clubs").click()
    axe_check(page)
    page.get_by_role("button", name="Make my panel pack").click()
    expect(page.get_by_text("We are preparing your panel pack")).to_be_visible()
    # While it is being prepared the page refreshes itself (a meta refresh, no script).
    expect(page.get_by_role("link", name="Download your panel pack (PDF)")).to_be_visible(
        timeout=20_000
    )
    axe_check(page)
