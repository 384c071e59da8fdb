"""The decision meeting: a commissioner moderates, records who is present on the one
attendance page (reached from the meeting) and makes the minutes; the chair decides two
applications from the ranking, one funded and one declined. Every page passes axe."""

import re

import pytest
from playwright.sync_api import Page, expect

from panels.models import Decision, PanelMember, Score, Scorecard
from tests.e2e.conftest import axe_check, sign_in
from tests.microcomm.factories import PASSWORD, commissioner
from tests.panels.meeting_data import meeting_build

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_chair_runs_the_meeting_and_records_decisions(page: Page, live_server):
    panel = meeting_build(applications=3, scorers=3, weights=(40, 30, 20, 10))
    chair = panel.members.get(role=PanelMember.Role.CHAIR)
    first, second = panel.round.applications.order_by("reference")[:2]

    sign_in(page, live_server, chair.user.email, PASSWORD)
    page.get_by_role("link", name=f"Run the panel meeting for {panel.round.title}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Panel meeting")
    expect(page.get_by_text("A commissioner records who is present")).to_be_visible()
    axe_check(page)

    page.get_by_role("link", name=f"Record a decision on {first.reference}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Record the decision on {first.reference}"
    )
    axe_check(page)
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    axe_check(page)
    page.get_by_label("Fund in full").check()
    page.get_by_label("Reason for the decision").fill("Strong evidence of need")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_text(f"Decision recorded for {first.reference}")).to_be_visible()

    page.get_by_role("link", name=f"Record a decision on {second.reference}").click()
    page.get_by_label("Decline").check()
    page.get_by_role("group", name="If declining: which criteria weighed against it?").get_by_label(
        "Criterion", exact=False
    ).first.check()
    page.get_by_label("Reason for the decision").fill("Little evidence of need")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_text(f"Decision recorded for {second.reference}")).to_be_visible()
    expect(
        page.get_by_role("link", name=f"Change the decision on {first.reference}")
    ).to_be_visible()
    axe_check(page)

    decisions = {d.application_id: d for d in Decision.objects.all()}
    assert decisions[first.pk].outcome == "fund_full"
    assert decisions[first.pk].members_present.count() == 3
    assert decisions[second.pk].outcome == "decline"
    assert decisions[second.pk].criteria_against


@pytest.mark.usefixtures("tasks_inline")
def test_a_commissioner_moderates_then_makes_the_minutes(page: Page, live_server):
    panel = meeting_build(applications=3, scorers=4, weights=(50, 50), present=False)
    card = Scorecard.objects.filter(member__panel=panel).order_by("pk").first()
    Score.objects.filter(scorecard__application=card.application).exclude(scorecard=card).update(
        value=3
    )
    Score.objects.filter(scorecard=card).update(value=0)
    title = panel.round.title
    boss = commissioner(email="boss@example.org")

    sign_in(page, live_server, boss.email, PASSWORD)
    page.get_by_role("link", name="See all funding rounds").click()
    page.get_by_role("link", name=f"The panel and its members of {title}").click()
    page.get_by_role("link", name="Moderate the scores").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Moderate the scores")
    expect(
        page.get_by_text("Outlier: 0 is much lower than the others' median of 3").first
    ).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name="Show only applications with an outlier").click()
    axe_check(page)

    page.get_by_role("link", name="Back to the panel meeting").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Panel meeting")
    expect(page.get_by_text("Nobody has been recorded as present yet.")).to_be_visible()
    page.get_by_role("link", name="Record who is present").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Attendance and payments")
    axe_check(page)
    for member in panel.members.select_related("user"):
        page.get_by_label(re.compile(f"^Attended: {member.user.full_name}$")).check()
    page.get_by_role("button", name="Save attendance").click()
    expect(page.get_by_text("Attendance saved")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Panel meeting")
    expect(page.get_by_text("Nobody has been recorded as present yet.")).not_to_be_visible()
    page.get_by_role("button", name="Make the minutes").click()
    expect(page.get_by_role("link", name="Download the minutes (PDF)")).to_be_visible()
    axe_check(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the minutes (PDF)").click()
    assert download.value.suggested_filename.endswith(".pdf")
