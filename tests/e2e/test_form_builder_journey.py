import re

import pytest
from playwright.sync_api import Page, expect

from rounds.models import FormPdf, Question, Round
from rounds.services import form_builder as services
from tests.e2e.conftest import axe_check, sign_in, wait_for
from tests.microcomm.factories import PASSWORD, commissioner
from tests.rounds.factories import RoundFactory

pytestmark = pytest.mark.browser


def test_commissioner_builds_previews_downloads_and_publishes_a_form(
    page: Page, live_server, tasks_inline
):
    round = RoundFactory(tier=Round.Tier.SMALL, title="Warm spaces this winter")
    services.form_create_default(round=round, actor=None)
    person = commissioner(email="commissioner.forms@example.org")
    sign_in(page, live_server, person.email, PASSWORD)

    # From the home page: every funding round, this one, then its form.
    page.get_by_role("link", name="See all funding rounds").click()
    page.get_by_role("link", name="Warm spaces this winter", exact=True).click()
    page.get_by_role("link", name="Application form", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Application form")
    expect(page.get_by_text("Not published")).to_be_visible()
    axe_check(page)

    page.get_by_role("link", name="Add a question to Keeping people safe").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Add a question to ‘Keeping people safe’"
    )
    axe_check(page)
    page.get_by_label("Question", exact=True).fill("Who is your safeguarding lead?")
    page.get_by_label("Short text").check()
    page.get_by_label("No, it is optional").check()
    page.get_by_label("Show this question only when an earlier question is answered").select_option(
        label="Does your group have a safeguarding policy?"
    )
    page.get_by_label("Answer that shows it").fill("Maybe")
    page.get_by_role("button", name="Save question").click()
    expect(page.get_by_role("alert")).to_contain_text("can have: Yes or No")
    axe_check(page)
    page.get_by_label("Answer that shows it").fill("Yes")
    page.get_by_role("button", name="Save question").click()

    expect(page.get_by_text("Question ‘Who is your safeguarding lead?’ added")).to_be_visible()
    row = page.locator(".govuk-summary-list__row", has_text="Who is your safeguarding lead?")
    expect(row).to_contain_text(
        "Only if you answered Yes to ‘Does your group have a safeguarding policy?’"
    )
    expect(row).to_contain_text("(optional)")
    axe_check(page)

    page.get_by_role("link", name="Preview the form as applicants will see it").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Preview the application form")
    expect(page.get_by_label("Who is your safeguarding lead? (optional)")).to_be_visible()
    expect(page.get_by_role("table", name=re.compile("Budget"))).to_be_visible()
    axe_check(page)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the questions as a PDF").click()
        # The PDF is made after this page is sent (never inside a request); the page asks
        # again a few seconds later, when the download starts.
        expect(page.get_by_role("heading", level=1)).to_have_text("Your PDF is being prepared")
    download = download_info.value
    assert download.suggested_filename == f"{round.slug}-questions.pdf"
    with open(download.path(), "rb") as handle:
        assert handle.read(4) == b"%PDF"

    page.go_back()
    page.get_by_role("link", name="Back to the form builder").click()
    page.get_by_role("button", name="Publish the form").click()
    expect(page.get_by_role("alert")).to_contain_text("Form published")
    expect(page.get_by_role("button", name="Unpublish the form")).to_be_visible()
    axe_check(page)
    round.refresh_from_db()
    assert round.form_published_at is not None
    assert Question.objects.filter(
        section__round=round, label="Who is your safeguarding lead?", condition_value="yes"
    ).exists()


def test_anyone_can_download_a_published_forms_questions(page: Page, live_server, tasks_inline):
    round = RoundFactory(tier=Round.Tier.MICRO)
    services.form_create_default(round=round, actor=None)
    services.form_publish(round=round, actor=None)

    first = page.request.get(f"/rounds/{round.slug}/questions.pdf")
    # Made after that answer was sent (never inside a request), then there when asked again.
    wait_for(lambda: FormPdf.objects.filter(round=round, status=FormPdf.Status.DONE).exists())
    response = page.request.get(f"/rounds/{round.slug}/questions.pdf")

    assert "Your PDF is being prepared" in first.text()
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")
