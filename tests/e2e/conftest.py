"""The browser harness: headless Chromium through Playwright against Django's live server.

One browser per session; every test gets a fresh context and page, so no cookie or
session leaks from one test to the next.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator

import pytest
from django.conf import settings
from django.db import connections
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


@functools.cache
def _axe_source() -> str:
    path = settings.BASE_DIR / "static" / "vendor" / "axe-core" / "axe.min.js"
    return path.read_text(encoding="utf-8")


def axe_check(page: Page) -> None:
    """Run axe-core on the page as it is now; fail listing every serious or critical violation."""
    page.add_script_tag(content=_axe_source())
    results = page.evaluate(
        "(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
    )
    violations = [v for v in results["violations"] if v["impact"] in AXE_FAILING_IMPACTS]
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


def sign_in(page: Page, live_server, email: str, password: str) -> None:
    """Sign in through the sign-in page and wait until the person is signed in."""
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_label("Email address", exact=True).fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()
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
    context = browser.new_context(base_url=live_server.url, java_script_enabled=java_script_enabled)
    try:
        yield context.new_page()
    finally:
        context.close()


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
