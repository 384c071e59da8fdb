import re

import pytest
from playwright.sync_api import Page, expect

from microcomm.demo import DEMO_PASSWORD
from microcomm.models import Locality, Theme
from rounds.models import Need
from tests.e2e.conftest import axe_check, sign_in

pytestmark = pytest.mark.browser


def quick_log(page: Page, theme: str, place: str, note: str) -> None:
    page.get_by_label("Theme", exact=True).select_option(label=theme)
    page.get_by_label("Where", exact=True).select_option(label=place)
    page.get_by_label("What was missing?").fill(note)
    page.get_by_role("button", name="Log this need").click()


def test_link_worker_logs_a_need_twice_and_sees_the_running_count(page: Page, live_server, demo):
    # A ward the demo scheme has no needs in, so the count starts from nothing.
    Locality.objects.create(
        name="Brookside", kind=Locality.Kind.WARD, parent=Locality.objects.get(code="U00101")
    )
    sign_in(page, live_server, "linkworker@example.org", DEMO_PASSWORD)
    expect(page.get_by_role("heading", level=3, name="Log a need")).to_be_visible()
    axe_check(page)

    quick_log(page, "Loneliness and isolation", "Brookside", "No lunch club for men")
    expect(
        page.get_by_text(
            "Logged as a new need: No lunch club for men "
            "(Loneliness and isolation in Brookside): 1 signal so far."
        )
    ).to_be_visible()

    # Something else in the same theme and place: the page asks whether it is that need.
    quick_log(page, "Loneliness and isolation", "Brookside", "Nothing on Sundays")
    expect(page.get_by_role("heading", level=1)).to_have_text("Is this one of these needs?")
    axe_check(page)
    page.get_by_label("No lunch club for men").check()
    page.get_by_role("button", name="Log this need").click()

    expect(page).to_have_url(f"{live_server.url}/")
    expect(
        page.get_by_text(
            "Logged under the need No lunch club for men "
            "(Loneliness and isolation in Brookside): 2 signals so far."
        )
    ).to_be_visible()
    recent = page.get_by_role("table", name="Your recent logs")
    latest = recent.get_by_role("row").filter(has_text="Nothing on Sundays")
    expect(latest).to_contain_text("No lunch club for men")
    expect(latest).to_contain_text("2")
    axe_check(page)

    # It was not the same need after all: the link worker moves their log to a new need.
    latest.get_by_role("link", name=re.compile("^Move or delete")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Move this log")
    axe_check(page)
    page.get_by_role("button", name="Move this log").click()
    expect(page.get_by_role("alert")).to_contain_text("Select the need this log is about")
    axe_check(page)
    page.get_by_label("A new need, named after this log").check()
    page.get_by_role("button", name="Move this log").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Nothing on Sundays")
    expect(page.get_by_text("Log moved to Nothing on Sundays")).to_be_visible()
    axe_check(page)
    first = Need.objects.get(title="No lunch club for men")
    assert first.signal_count == 1 == first.signals.count()


def test_an_nhs_number_in_a_quick_log_is_refused(page: Page, live_server, demo):
    needs_before = Need.objects.count()
    sign_in(page, live_server, "linkworker@example.org", DEMO_PASSWORD)

    quick_log(page, "Housing", "Canal Side", "Mr K 943 476 5919 has damp")

    expect(page.get_by_role("heading", level=1)).to_have_text("Log a need")
    expect(page.get_by_role("alert")).to_contain_text("This looks like an NHS number")
    expect(page.get_by_label("What was missing?")).to_have_value("Mr K 943 476 5919 has damp")
    axe_check(page)
    assert Need.objects.count() == needs_before


def test_commissioner_closes_a_need_with_a_reason(page: Page, live_server, demo):
    need = Need.objects.create(
        theme=Theme.objects.get(name="Food"),
        locality=Locality.objects.get(name="Fenwick"),
        title="No community fridge in Fenwick",
        signal_count=0,
    )
    sign_in(page, live_server, "commissioner@example.org", DEMO_PASSWORD)

    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Needs").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Needs")
    axe_check(page)
    page.get_by_role("link", name="No community fridge in Fenwick").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("No community fridge in Fenwick")
    axe_check(page)

    page.get_by_role("button", name="Close this need").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Close this need")
    axe_check(page)
    page.get_by_role("button", name="Close need").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter why you are closing this need")
    axe_check(page)
    page.get_by_label("Why are you closing this need?").fill("The pantry opened a fridge")
    page.get_by_role("button", name="Close need").click()

    expect(page).to_have_url(re.compile(rf"/needs/{need.pk}/$"))
    expect(page.get_by_text("Need closed: No community fridge in Fenwick")).to_be_visible()
    expect(page.get_by_text("The pantry opened a fridge").first).to_be_visible()
    axe_check(page)
    need.refresh_from_db()
    assert need.status == Need.Status.CLOSED


@pytest.mark.parametrize(
    ("clicks", "heading"),
    [
        ([("button", "Record a need")], "Record a need"),
        ([("link", "No fridge"), ("button", "Edit this need")], "Edit this need"),
        ([("link", "No fridge"), ("button", "Merge into another need")], "Merge a duplicate need"),
    ],
)
def test_needs_forms_have_no_serious_accessibility_problems(
    page: Page, live_server, demo, clicks, heading
):
    theme = Theme.objects.get(name="Food")
    Need.objects.create(
        theme=theme, locality=Locality.objects.get(name="Fenwick"), title="No fridge"
    )
    Need.objects.create(theme=theme, locality=Locality.objects.get(name="Mill Bank"), title="Other")
    sign_in(page, live_server, "commissioner@example.org", DEMO_PASSWORD)

    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Needs").click()
    for role, name in clicks:
        page.get_by_role(role, name=name, exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    axe_check(page)
    page.locator("form[method=post] button.govuk-button").last.click()
    axe_check(page)
