"""Every page a role's journeys use is reachable by links from their home page.

A page reached only by typing its address is a dead end. On the demo scheme, each demo
person starts at the home page and follows links as they would: every same-origin
``<a href>`` and every GET form (submitted with the values it shows), breadth first,
following redirects. Sign-out, downloads (files, CSVs, PDFs, calendars), external links
and the Django admin's own pages are not followed. Each URL name is opened at most a few
times (a list of 80 needs does not need 80 visits), and each crawl stops at a page cap.

The test fails naming the pages (URL names) a role's journeys use and no link reaches,
and every link that answers "Page not found", a refusal or an error, with the page it
was found on.
"""

from __future__ import annotations

import io
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlencode, urljoin, urlsplit

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import Resolver404, resolve

from microcomm.models import User

pytestmark = pytest.mark.django_db

ORIGIN = "http://testserver"
PAGE_CAP = 400
VISITS_PER_NAME = 3
# Followed nowhere: they end the session or hand over a file rather than a page.
NOT_FOLLOWED = {
    "microcomm:sign-out",
    "rounds:need-evidence",
    "rounds:gap-analysis-csv",
    "rounds:round-calendar",
    "rounds:round-form-pdf",
    "rounds:round-questions-pdf",
    "rounds:guidance-download",
    "rounds:oruk-services",
    "rounds:oruk-service",
    "applications:document-download",
    "applications:application-draft-copy",
    "applications:manage-application-csv",
    "panels:ranking-csv",
    "panels:payments-csv",
    "panels:minutes-download",
    "panels:pack-download",
    "panels:scorecard-document",
    "healthz",
}

PUBLIC = {
    "rounds:round-public-list",
    "rounds:round-public-detail",
    "rounds:faq-public-list",
    "rounds:support-request-create",
    "microcomm:account",
    "microcomm:accessibility",
    "microcomm:privacy",
}
LINK_WORK = {
    "rounds:need-list",
    "rounds:need-detail",
    "rounds:need-create",
    "rounds:need-edit",
    "rounds:need-merge",
    "rounds:need-close",
    "rounds:gap-analysis",
    "rounds:service-list",
    "rounds:service-detail",
    "rounds:service-create",
    "rounds:service-edit",
    "rounds:support-list",
    "rounds:support-request-detail",
    "applications:application-assist-start",
}
APPLYING = {
    "applications:application-list",
    "applications:application-detail",
    "applications:application-section",
    "applications:application-budget",
    "applications:application-check",
    "applications:organisation-list",
    "applications:organisation-detail",
    "applications:organisation-create",
    "applications:document-list",
    "applications:document-upload",
    "rounds:service-propose",
    "rounds:round-eligibility",
    "applications:application-start",
}

# The pages (URL names) each demo person's journeys use.
JOURNEYS: dict[str, set[str]] = {
    "commissioner@example.org": PUBLIC
    | {
        "rounds:fund-list",
        "rounds:fund-detail",
        "rounds:fund-create",
        "rounds:round-list",
        "rounds:round-detail",
        "rounds:round-create",
        "rounds:round-edit",
        "rounds:round-copy",
        "rounds:round-event-create",
        "rounds:round-form",
        "rounds:round-form-preview",
        "rounds:faq-manage-list",
        "rounds:faq-create",
        "rounds:guidance-manage-list",
        "rounds:guidance-create",
        "applications:manage-application-list",
        "applications:manage-application-detail",
        "rounds:directory-import",
        "rounds:need-list",
        "rounds:need-detail",
        "rounds:need-edit",
        "rounds:need-merge",
        "rounds:need-close",
        "rounds:gap-analysis",
        "rounds:service-list",
        "rounds:service-detail",
        "rounds:support-list",
        # The closed carers' round's panel: the commissioner chairs it.
        "panels:rubric-detail",
        "panels:panel-detail",
        "panels:panel-settings",
        "panels:member-add",
        "panels:scorecards-assign",
        "panels:conflict-register",
        "panels:moderation-detail",
        "panels:meeting-detail",
        "panels:decision-record",
        "panels:feedback-list",
        "panels:interview-list",
        "panels:pack-members",
    },
    # The demo link worker logged needs: they can move or delete their own logs.
    "linkworker@example.org": PUBLIC
    | LINK_WORK
    | {"rounds:need-signal-move", "applications:application-list"},
    "applicant@example.org": PUBLIC | APPLYING,
    "both@example.org": PUBLIC | LINK_WORK | APPLYING,
    "admin@example.org": PUBLIC | {"admin:index"},
    "lay.member@example.org": PUBLIC
    | {
        "panels:member-home",
        "panels:conflict-declare",
        "panels:scorer-list",
        "panels:scorecard-detail",
        "panels:practice-score",
        "panels:pack-detail",
    },
}


class _Links(HTMLParser):
    """The addresses a person can follow from a page: links, and GET forms as shown."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self._form: dict[str, object] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if tag == "a" and attributes.get("href"):
            self.found.append(attributes["href"])
        elif tag == "form" and attributes.get("method", "get").lower() == "get":
            self._form = {"action": attributes.get("action", ""), "fields": []}
        elif tag in ("input", "select", "textarea") and self._form is not None:
            kind = attributes.get("type", "text").lower()
            if attributes.get("name") and kind not in ("submit", "button", "checkbox", "radio"):
                self._form["fields"].append((attributes["name"], attributes.get("value", "")))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self._form is not None:
            query = urlencode(self._form["fields"])
            self.found.append(f"{self._form['action']}?{query}" if query else self._form["action"])
            self._form = None


@dataclass
class Crawl:
    reached: set[str] = field(default_factory=set)
    broken: list[str] = field(default_factory=list)
    pages: int = 0


def _url_name(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name


def _same_origin_path(base: str, href: str) -> str | None:
    if href.startswith(("mailto:", "tel:", "#", "javascript:")):
        return None
    absolute = urljoin(base, href)
    parts = urlsplit(absolute)
    if f"{parts.scheme}://{parts.netloc}" != ORIGIN:
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def crawl(client: Client) -> Crawl:
    """Breadth first from the home page, by links and GET forms only."""
    result = Crawl()
    queue: deque[tuple[str, str]] = deque([("/", "the start")])
    seen: set[str] = {"/"}
    visits: dict[str, int] = {}
    while queue and result.pages < PAGE_CAP:
        path, found_on = queue.popleft()
        name = _url_name(urlsplit(path).path)
        if name is None:
            result.broken.append(f"{path} (no such page, linked from {found_on})")
            continue
        result.reached.add(name)
        if name in NOT_FOLLOWED or name.startswith("admin:") and name != "admin:index":
            continue
        if visits.get(name, 0) >= VISITS_PER_NAME:
            continue
        visits[name] = visits.get(name, 0) + 1
        response = client.get(path)
        result.pages += 1
        if response.status_code in (301, 302, 303, 307, 308):
            target = _same_origin_path(ORIGIN + path, response["Location"])
            if target is not None and target not in seen:
                seen.add(target)
                queue.append((target, found_on))
            continue
        if response.status_code != 200:
            result.broken.append(f"{path} answered {response.status_code} (linked from {found_on})")
            continue
        if "text/html" not in response.get("Content-Type", ""):
            continue
        parser = _Links()
        parser.feed(response.content.decode())
        for href in parser.found:
            target = _same_origin_path(ORIGIN + path, href)
            if target is not None and target not in seen:
                seen.add(target)
                queue.append((target, path))
    return result


@pytest.fixture(scope="module")
def demo_scheme(django_db_setup, django_db_blocker) -> Iterator[None]:
    """The demo scheme, loaded once for the module and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


@pytest.mark.parametrize("email", sorted(JOURNEYS))
def test_every_page_of_a_roles_journeys_is_reachable_from_their_home_page(demo_scheme, email):
    client = Client()
    client.force_login(User.objects.get(email=email))

    with transaction.atomic():
        result = crawl(client)
        transaction.set_rollback(True)

    missing = sorted(JOURNEYS[email] - result.reached)
    assert missing == [], f"{email} cannot reach by links from home: {', '.join(missing)}"
    assert result.broken == [], f"{email} follows links that go nowhere:\n" + "\n".join(
        result.broken
    )
