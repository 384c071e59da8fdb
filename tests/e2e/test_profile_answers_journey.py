"""A member sees what the group's profile already says instead of typing it again, and
changes it in the profile by the link beside it."""

import re

import pytest
from playwright.sync_api import Page, expect

from applications.services import applying as services
from rounds.models import Question
from tests.applications.factories import ProfileFactory
from tests.e2e.conftest import axe_check, sign_in
from tests.microcomm.factories import PASSWORD, OrganisationFactory, group_with_member
from tests.rounds.factories import OpenRoundFactory, QuestionFactory, micro_form

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("tasks_inline")]

ROUND = "Kiln Lane small grants"


def test_member_sees_the_profile_answers_and_changes_them_in_the_profile(page: Page, live_server):
    round = OpenRoundFactory(title=ROUND)
    questions = micro_form(round)
    questions["name"].from_profile = Question.FromProfile.NAME
    questions["name"].save(update_fields=["from_profile"])
    QuestionFactory(
        section=questions["name"].section,
        kind=Question.Kind.SHORT_TEXT,
        label="What is your group's address?",
        from_profile=Question.FromProfile.ADDRESS,
        order=3,
    )
    membership = group_with_member(organisation=OrganisationFactory(name="Kiln Lane Knitters"))
    ProfileFactory(
        organisation=membership.organisation, address_line_1="4 Kiln Lane", postcode="MB1 2CD"
    )
    services.application_start(
        round=round, organisation=membership.organisation, actor=membership.user
    )
    sign_in(page, live_server, membership.user.email, PASSWORD)

    page.get_by_role("link", name="Your applications", exact=True).first.click()
    page.get_by_role("link", name=ROUND).click()
    page.get_by_role("link", name="About your group").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("About your group")
    expect(page.get_by_role("heading", name="What is the name of your group?")).to_be_visible()
    expect(page.get_by_text("Kiln Lane Knitters").first).to_be_visible()
    expect(page.get_by_text("4 Kiln Lane, MB1 2CD")).to_be_visible()
    expect(page.get_by_label("What is the name of your group?")).to_have_count(0)
    axe_check(page)

    change_address = re.compile(r"^Change this in your group’s profile\s*: What is your group's")
    page.get_by_role("link", name=change_address).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your group's details")
    expect(page.get_by_label("Address line 1")).to_have_value("4 Kiln Lane")
