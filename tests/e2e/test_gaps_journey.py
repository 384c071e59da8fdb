import re

import pytest
from playwright.sync_api import Page, expect

from microcomm.demo import DEMO_PASSWORD
from microcomm.models import Locality, Theme
from rounds.demo import demo_seed_rounds
from rounds.selectors.gaps import GapSort, gap_cell_needs, gap_matrix
from tests.e2e.conftest import axe_check, sign_in

pytestmark = pytest.mark.browser

SOUTH = "Marshbrook South PCN"


@pytest.fixture
def gaps_demo(demo):
    demo_seed_rounds()
    return demo


def test_commissioner_filters_sorts_and_follows_a_gap(page: Page, live_server, gaps_demo):
    sign_in(page, live_server, "commissioner@example.org", DEMO_PASSWORD)
    expect(
        page.get_by_role("heading", name="Largest gaps between needs and services")
    ).to_be_visible()

    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Gaps").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Gap analysis")
    table = page.get_by_role("region", name=re.compile("Open needs and active services"))
    expect(table.get_by_role("rowheader", name="Abbey Fields")).to_be_visible()
    axe_check(page)

    page.get_by_label("Primary care network (PCN)").select_option(label=SOUTH)
    page.get_by_label("Sort places by").select_option(label="Largest gaps first")
    page.get_by_role("button", name="Apply filters").click()

    expected = gap_matrix(pcn=Locality.objects.get(name=SOUTH), sort=GapSort.LARGEST)
    expected_wards = [row.locality.name for row in expected.rows]
    row_headers = table.locator("tbody th[scope=row]")
    # Its four wards, and a row for needs logged for the PCN as a whole.
    expect(row_headers).to_have_count(5)
    expect(row_headers.first).to_have_text(re.compile(rf"^{expected_wards[0]}, {SOUTH}$"))
    expect(table.get_by_role("rowheader", name="Abbey Fields")).to_have_count(0)
    expect(page.get_by_label("Primary care network (PCN)")).to_have_value(
        str(Locality.objects.get(name=SOUTH).pk)
    )
    axe_check(page)

    table.get_by_role(
        "link", name=re.compile(r"needs? open or being addressed for Money and debt in Fenwick$")
    ).click()

    theme = Theme.objects.get(name="Money and debt")
    fenwick = Locality.objects.get(name="Fenwick")
    expect(page).to_have_url(
        re.compile(rf"/needs/\?theme={theme.pk}&area={fenwick.pk}&status=current$")
    )


def test_gap_analysis_works_without_javascript(page_without_js: Page, live_server, gaps_demo):
    page = page_without_js
    sign_in(page, live_server, "linkworker@example.org", DEMO_PASSWORD)

    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Gaps").click()
    page.get_by_label("Sort places by").select_option(label="Largest gaps first")
    page.get_by_role("button", name="Apply filters").click()

    expect(page).to_have_url(re.compile(r"[?&]sort=largest"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Gap analysis")
    table = page.get_by_role("region", name=re.compile("Open needs and active services"))
    expect(table.get_by_text("No service").first).to_be_visible()
    expect(table.get_by_role("rowheader").first).to_be_visible()


def test_applicant_cannot_open_the_gap_analysis(page: Page, live_server, gaps_demo):
    sign_in(page, live_server, "applicant@example.org", DEMO_PASSWORD)

    expect(
        page.get_by_role("navigation", name="Menu").get_by_role("link", name="Gaps")
    ).to_have_count(0)
    response = page.goto("/gaps/")

    assert response is not None and response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("You cannot see this page")
    expect(
        page.get_by_text("Only link workers and commissioners can see the gap analysis")
    ).to_be_visible()
    axe_check(page)


def test_commissioner_starts_a_round_from_one_chosen_gap(page: Page, live_server, gaps_demo):
    money, fenwick = Theme.objects.get(name="Money and debt"), Locality.objects.get(name="Fenwick")
    in_the_gap = set(gap_cell_needs(theme=money, area=fenwick).values_list("title", flat=True))
    sign_in(page, live_server, "commissioner@example.org", DEMO_PASSWORD)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Gaps").click()

    page.get_by_label("Choose Money and debt in Fenwick for a round").check()
    page.get_by_role("button", name="Start a round from the chosen gaps").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Set up a funding round")
    expect(page.get_by_text("filled in from the gaps you chose")).to_be_visible()
    needs = page.get_by_role("group", name="Needs from the register (optional)")
    ticked = needs.locator("input:checked")
    expect(ticked).to_have_count(len(in_the_gap))
    for index in range(ticked.count()):
        label = needs.locator(f"label[for='{ticked.nth(index).get_attribute('id')}']")
        assert label.inner_text().split(" (")[0] in in_the_gap
    axe_check(page)
