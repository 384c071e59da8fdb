"""The browser harness: headless Chromium through Playwright against Django's live server.

One browser per session; every test gets a fresh context and page, so no cookie or
session leaks from one test to the next.
"""

from __future__ import annotations

import base64
import functools
import time
from collections.abc import Callable, Iterator

import pytest
from django.conf import settings
from django.db import connections
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Browser, Page, expect, sync_playwright

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
AXE_FAILING_IMPACTS = {"serious", "critical"}
# Rules that fail whatever their impact: content outside every landmark (axe rates it
# moderate) is missed by people who move around a page by its landmarks.
AXE_FAILING_RULES = {"region"}


@functools.cache
def _axe_source() -> str:
    path = settings.BASE_DIR / "static" / "vendor" / "axe-core" / "axe.min.js"
    return path.read_text(encoding="utf-8")


def wait_for(condition: Callable[[], object], *, seconds: float = 20) -> None:
    """Wait until ``condition()`` holds: for work the server does after it has answered
    (a PDF rendered inline, and the email that carries it), as Playwright's ``expect``
    waits for a page. Fails when it does not hold in time."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the server did not finish in time"
        time.sleep(0.05)


def axe_check(page: Page) -> None:
    """Run axe-core on the page as it is now; fail listing every serious or critical
    violation, and any content outside a landmark."""
    # Evaluated rather than added as an inline <script>, which the page's
    # Content-Security-Policy rightly refuses.
    page.evaluate(_axe_source())
    results = page.evaluate(
        "(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
    )
    violations = [
        v
        for v in results["violations"]
        if v["impact"] in AXE_FAILING_IMPACTS or v["id"] in AXE_FAILING_RULES
    ]
    if not violations:
        return
    lines = [f"axe-core found {len(violations)} serious or critical violation(s) on {page.url}:"]
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        lines.append(f"  {violation['helpUrl']}")
        for node in violation["nodes"]:
            summary = node.get("failureSummary", "").replace("\n", "\n      ")
            lines.append(f"    at {node['target']}: {summary}")
    pytest.fail("\n".join(lines), pytrace=False)


def _authenticator_code(key: bytes, *, not_before: int = -1, drift: int = 0) -> str:
    """The code an authenticator app with this key shows now, or at its next step when the
    one shown now was already used (django-otp accepts one step either side)."""
    totp = TOTP(key, drift=drift)
    if totp.t() <= not_before:
        totp.time = time.time() + totp.step * (not_before + 1 - totp.t())
    return f"{totp.token():06d}"


def second_step(page: Page, email: str) -> None:
    """Give the second factor the page asks for, as a person with the app would.

    On "Enter your code", the code of the person's authenticator app (its key read from
    the database, where the app's copy would be); on "Set up two-step sign-in", the key
    the page shows is typed into a fresh app, and the recovery codes are acknowledged.
    """
    heading = page.get_by_role("heading", level=1)
    if page.url.split("?")[0].endswith("/account/two-step-sign-in/set-up/"):
        key = page.locator("[data-setup-key]").inner_text().replace(" ", "")
        key_bytes = base64.b32decode(key + "=" * (-len(key) % 8))
        page.get_by_label("Code", exact=True).fill(_authenticator_code(key_bytes))
        page.get_by_role("button", name="Turn on two-step sign-in").click()
        expect(heading).to_have_text("Your recovery codes")
        page.get_by_role("link", name="I have kept my recovery codes").click()
        return
    expect(heading).to_have_text("Enter your code")
    device = TOTPDevice.objects.get(user__email__iexact=email, confirmed=True)
    code = _authenticator_code(device.bin_key, not_before=device.last_t, drift=device.drift)
    page.get_by_label("Code", exact=True).fill(code)
    page.get_by_role("button", name="Continue").click()


def sign_in(page: Page, live_server, email: str, password: str) -> None:
    """Sign in through the sign-in page (and its second step, for those who have one)."""
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_label("Email address", exact=True).fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in", exact=True).click()
    path = page.url.split("?")[0]
    if path.endswith(("/sign-in/code/", "/account/two-step-sign-in/set-up/")):
        with page.expect_navigation():
            second_step(page, email)
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


@pytest.fixture(scope="session")
def browser(chromium_path: str, django_db_setup) -> Iterator[Browser]:
    before = {alias: connections[alias] for alias in connections}
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        # Playwright's sync API leaves its event loop marked as running in this thread
        # until the session ends. Django then refuses database access from the tests
        # unless told it is safe, and hands out new connection objects: keep the test
        # database's own, which carry the data serialized rollback restores.
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        for alias, connection in before.items():
            connections[alias] = connection
        browser = playwright.chromium.launch(
            executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


def _new_page(browser: Browser, live_server, *, java_script_enabled: bool) -> Iterator[Page]:
    """A page that fails its test if the Content-Security-Policy refused anything on it."""
    context = browser.new_context(base_url=live_server.url, java_script_enabled=java_script_enabled)
    refused: list[str] = []
    page = context.new_page()
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    try:
        yield page
    finally:
        context.close()
    assert not refused, "The Content-Security-Policy refused:\n" + "\n".join(refused)


@pytest.fixture
def page(browser: Browser, live_server) -> Iterator[Page]:
    """A fresh page on the live server (relative URLs work) with JavaScript on."""
    yield from _new_page(browser, live_server, java_script_enabled=True)


@pytest.fixture
def page_without_js(browser: Browser, live_server) -> Iterator[Page]:
    """A fresh page on the live server with JavaScript turned off, as some people browse."""
    yield from _new_page(browser, live_server, java_script_enabled=False)


@pytest.fixture
def tasks_inline(settings) -> Iterator[None]:
    """Run Celery tasks in the web request, even when REDIS_URL queues them.

    No worker runs beside the live server, so email would otherwise never be sent.
    The Celery app read its configuration once, so it is changed too.
    """
    from microcomm.celery import app

    settings.CELERY_TASK_ALWAYS_EAGER = True
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    try:
        yield
    finally:
        app.conf.task_always_eager = previous
