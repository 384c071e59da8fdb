"""Browser journeys through the service map: search and check a service; import a directory."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from microcomm.demo import DEMO_PASSWORD
from rounds.models import DirectoryImport
from tests.e2e.conftest import axe_check, sign_in
from tests.microcomm.factories import ThemeFactory
from tests.rounds.factories import ServiceFactory

pytestmark = pytest.mark.browser

EXAMPLES = Path(__file__).resolve().parents[1] / "data" / "openreferral-uk" / "examples"


def test_link_worker_searches_opens_and_checks_a_service(page: Page, live_server, demo):
    theme = ThemeFactory(name="Walking and outdoors", slug="walking-outdoors-e2e")
    old = timezone.localdate() - timedelta(days=250)
    ServiceFactory(name="Riverside walk", themes=[theme], days=[1], last_verified_on=old)
    ServiceFactory(name="Tuesday choir", days=[1])
    ServiceFactory(name="Friday walk", themes=[theme], days=[4])
    sign_in(page, live_server, "linkworker@example.org", DEMO_PASSWORD)

    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Directory").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Find a service")
    axe_check(page)

    page.get_by_label("Theme").select_option(label="Walking and outdoors")
    page.get_by_label("Day").select_option(label="Tuesday")
    page.get_by_role("button", name="Apply filters").click()

    expect(page).to_have_url(re.compile(rf"theme={theme.pk}.*day=1"))
    expect(page.get_by_role("heading", name="1 service matches your search")).to_be_visible()
    expect(page.get_by_text(f"Not checked since {old.day} {old:%B %Y}")).to_be_visible()
    axe_check(page)

    page.get_by_role("link", name="Riverside walk").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Riverside walk")
    axe_check(page)

    page.get_by_role("button", name="Mark as checked today").click()
    expect(page.get_by_text("Riverside walk is marked as checked today")).to_be_visible()
    expect(page.get_by_text("Not checked since")).to_have_count(0)
    axe_check(page)


def _open_the_import_page(page: Page) -> None:
    """From the home page, as a commissioner would: the directory, then its import link."""
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Directory").click()
    page.get_by_role("link", name="Import an Open Referral UK file").click()


def test_commissioner_imports_the_example_file(page: Page, live_server, demo, tasks_inline):
    sign_in(page, live_server, "commissioner@example.org", DEMO_PASSWORD)

    _open_the_import_page(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Import an Open Referral UK file")
    axe_check(page)

    # GOV.UK Frontend's file upload wraps the input in a drop zone button; fill the input.
    page.locator("input[type=file][name=file]").set_input_files(EXAMPLES / "service_full.json")
    page.get_by_role("button", name="Upload and import").click()

    # The import runs as a Celery task; inline here, so the status page is already done.
    expect(page).to_have_url(re.compile(r"/directory/import/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Import complete")
    expect(page.get_by_text("1 service created, 0 updated")).to_be_visible()
    summary = page.get_by_role("table", name=re.compile("What was imported from service_full"))
    expect(summary.get_by_role("row", name=re.compile(r"^Services 1 0$"))).to_be_visible()
    expect(summary.get_by_role("row", name=re.compile(r"^Organisations 1 0$"))).to_be_visible()
    axe_check(page)

    # The status page leads back to the list of imports, where this one is listed.
    page.get_by_role("link", name="Back to imports").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import an Open Referral UK file")
    expect(page.get_by_role("link", name="service_full.json")).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name="service_full.json").click()
    page.get_by_role("link", name="Go to the directory").click()
    expect(page.get_by_role("link", name="Community Counselling")).to_be_visible()


def test_commissioner_sees_progress_then_the_problems(page: Page, live_server, demo, tasks_inline):
    waiting = DirectoryImport.objects.create(original_name="big.zip", format="zip")
    sign_in(page, live_server, "commissioner@example.org", DEMO_PASSWORD)

    # The import page lists recent imports: the waiting one leads to its status page.
    _open_the_import_page(page)
    recent = page.get_by_role("region", name="Recent imports")
    expect(recent.get_by_role("row", name=re.compile("big.zip"))).to_contain_text(
        "Waiting to start"
    )
    recent.get_by_role("link", name="big.zip").click()
    expect(page).to_have_url(re.compile(rf"/directory/import/{waiting.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Importing your directory")
    expect(page.get_by_text("This can take a minute")).to_be_visible()
    axe_check(page)

    # The worker finishes while the page is open: htmx swaps in the problems.
    DirectoryImport.objects.filter(pk=waiting.pk).update(
        status=DirectoryImport.Status.FAILED,
        problems=[{"where": "services.csv row 2", "message": "status must be one of active"}],
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Your file was not imported")
    expect(page).to_have_title(re.compile("^Your file was not imported"))
    expect(page.get_by_role("cell", name="services.csv row 2")).to_be_visible()
    axe_check(page)

    page.get_by_role("link", name="Try again").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import an Open Referral UK file")
