"""The widest pages fit a 360-pixel phone screen: wide tables scroll inside their own region."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from applications.models import Application
from microcomm.demo import DEMO_PASSWORD
from tests.e2e.conftest import axe_check, sign_in

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}


def _too_wide(page) -> list[str]:
    """The outermost elements that reach past the screen's right edge."""
    return page.evaluate(
        """(limit) => [...document.querySelectorAll('body *')]
            .filter((e) => e.getBoundingClientRect().right > limit)
            .filter((e) => !(e.parentElement.getBoundingClientRect().right > limit))
            .map((e) => e.tagName + '.' + e.className + ' ' + e.textContent.slice(0, 40))""",
        PHONE["width"],
    )


def _fits(page, path: str) -> None:
    page.set_viewport_size(PHONE)
    page.goto(path)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], (
        f"{path} is {width} pixels wide on a 360-pixel screen; too wide: {_too_wide(page)}"
    )
    axe_check(page)


def test_commissioner_pages_fit_a_phone(page, live_server, demo):
    sign_in(page, live_server, "commissioner@example.org", DEMO_PASSWORD)
    round_slug = Application.objects.exclude(submitted_at=None).values_list(
        "round__slug", flat=True
    )[0]
    _fits(page, reverse("applications:manage-application-list", args=[round_slug]))
    _fits(page, reverse("rounds:gap-analysis"))
    _fits(page, reverse("rounds:need-list"))
    _fits(page, reverse("rounds:round-list"))
    _fits(page, reverse("rounds:fund-list"))


def test_applicant_budget_fits_a_phone(page, live_server, demo):
    sign_in(page, live_server, "applicant@example.org", DEMO_PASSWORD)
    draft = Application.objects.filter(
        status=Application.Status.DRAFT,
        organisation__memberships__user__email="applicant@example.org",
    ).first()
    assert draft is not None, "the demo applicant has a draft"
    _fits(page, reverse("applications:application-budget", args=[draft.pk]))
    _fits(page, reverse("applications:application-list"))
