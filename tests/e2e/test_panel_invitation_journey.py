"""A commissioner sets up a round's panel and invites a lay member, who joins from the
email link, sets a password, lands on the panel home and tries the practice application."""

import re
from decimal import Decimal

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from microcomm.models import User
from panels.models import MeetingAttendance, PanelMember, PracticeAttempt, Scorecard
from rounds.models import RoundEvent
from tests.e2e.conftest import axe_check, sign_in
from tests.microcomm.factories import PASSWORD, commissioner
from tests.rounds.factories import RoundEventFactory, closed_round

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("tasks_inline"),
]

LAY_EMAIL = "lou.lay@example.net"
LAY_PASSWORD = "heron-quarry-lamp-58"


def _join_path(body: str) -> str:
    match = re.search(re.escape(settings.SITE_URL) + r"(/panel/join/\S+/)", body)
    assert match is not None, f"No join link in the email:\n{body}"
    return match.group(1)


def _sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("link", name="Sign in", exact=True)).to_be_visible()


def _commissioner_sets_up_the_panel(page: Page, live_server, round_title: str) -> None:
    boss = commissioner(email="boss@example.org")
    sign_in(page, live_server, boss.email, PASSWORD)
    page.get_by_role("link", name="See all funding rounds").click()
    page.get_by_role("link", name=f"The panel and its members of {round_title}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("The panel")
    axe_check(page)

    page.get_by_role("link", name="Change the panel's rules").click()
    page.get_by_label("Hourly rate paid to lay members").fill("15")
    axe_check(page)
    page.get_by_role("button", name="Save the rules").click()
    expect(page.get_by_text("£15 an hour")).to_be_visible()

    page.get_by_role("button", name="Add a member").click()
    page.get_by_label("Email address").fill(LAY_EMAIL)
    page.get_by_role("button", name="Find the person").click()
    expect(page.get_by_text(f"Nobody has an account with {LAY_EMAIL}")).to_be_visible()
    axe_check(page)
    page.get_by_label("Full name").fill("Lou Lay")
    page.get_by_label("Lay member").check()
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.get_by_text(f"Invitation sent to {LAY_EMAIL}")).to_be_visible()
    expect(page.get_by_role("cell", name=f"Lou Lay {LAY_EMAIL}")).to_be_visible()

    page.get_by_role("link", name=re.compile("^Record attendance and payments")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Attendance and payments")
    axe_check(page)
    page.get_by_label("Attended: Lou Lay").check()
    page.get_by_label("Hours: Lou Lay").fill("2")
    page.get_by_role("button", name="Save attendance").click()
    expect(page.get_by_text("Payments and expenses recorded so far: £30.")).to_be_visible()

    _sign_out(page)


def test_a_lay_member_joins_from_the_invitation_and_lands_on_the_panel_home(
    page: Page, live_server, mailoutbox
):
    round = closed_round(title="Warm spaces")
    RoundEventFactory(
        round=round, kind=RoundEvent.Kind.PANEL_MEETING, location="Kiln Lane Community Hall"
    )
    _commissioner_sets_up_the_panel(page, live_server, round.title)

    invitation = next(message for message in mailoutbox if message.to == [LAY_EMAIL])
    assert invitation.subject == "You are invited to join the panel for Warm spaces"

    # Lou opens the link in the email.
    page.goto(f"{live_server.url}{_join_path(invitation.body)}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Join the panel")
    axe_check(page)
    page.get_by_label("Create a password").fill("password")
    page.get_by_label("Confirm your password").fill("password")
    page.get_by_role("button", name="Join the panel").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    axe_check(page)
    page.get_by_label("Create a password").fill(LAY_PASSWORD)
    page.get_by_label("Confirm your password").fill(LAY_PASSWORD)
    page.get_by_role("button", name="Join the panel").click()

    expect(page).to_have_url(f"{live_server.url}/panel/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your panels")
    expect(page.get_by_text("Your password is set and you have joined the panel")).to_be_visible()
    expect(page.get_by_text(re.compile("Kiln Lane Community Hall"))).to_be_visible()
    axe_check(page)
    assert PanelMember.objects.get(user__email=LAY_EMAIL).status == PanelMember.Status.ACTIVE
    assert MeetingAttendance.objects.get().time_payment == Decimal("30.00")

    page.get_by_role("link", name="Try scoring a practice application for Warm spaces").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Practise scoring")
    axe_check(page)
    for group in page.locator("fieldset").all():
        group.get_by_role("radio").last.check()
    page.get_by_role("button", name="Save practice scores").click()
    expect(page.get_by_role("heading", name="How your scores add up")).to_be_visible()
    expect(page.get_by_text("Your practice score: 100.00 out of 100")).to_be_visible()
    axe_check(page)
    assert PracticeAttempt.objects.get().submitted_at is not None
    assert not Scorecard.objects.exists()

    # Signing in again later, the home page has a section for the panel work.
    _sign_out(page)
    sign_in(page, live_server, LAY_EMAIL, LAY_PASSWORD)
    expect(page.get_by_role("heading", name="Panel work")).to_be_visible()
    expect(page.get_by_role("link", name="Your panels")).to_be_visible()
    axe_check(page)
    assert User.objects.get(email=LAY_EMAIL).email_confirmed_at is not None
