"""Every URL of the product against every persona, checked by the one refusal rule.

The URLs are discovered from the root URLconf, so a new page fails here until
`table.TABLE` has a row saying who may use it. Each URL is opened with GET and POST by
every persona in `world.PERSONAS`; a method the view does not take must be refused with
405 alike for everyone signed in. The world is built once for the module and every
request runs in a savepoint that is rolled back, so one persona's POST changes nothing
the next one sees. The test client does not check CSRF tokens, so a POST reaches the
view's own checks.

A failure lists every persona that got something other than the rule's answer, e.g.
"rounds:fund-detail GET /funds/1/ as applicant_a: got 403, expected 404".
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.db import transaction
from django.http import HttpResponse
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from microcomm.http import GENERIC_REASON
from microcomm.models import User
from tests.permissions.table import FILL, PARAMETER_OF, TABLE, Row
from tests.permissions.world import ANONYMOUS, PERSONAS, World, world_build

pytestmark = pytest.mark.django_db

SKIPPED_NAMESPACES = {"admin"}
METHODS = ("GET", "POST")
REDIRECTS = {301, 302, 303, 307, 308}
# Every 403 is the one refusal page (templates/403.html), with a reason in plain words.
REFUSAL_HEADING = "You cannot see this page"


@dataclass(frozen=True)
class Url:
    key: str  # the row's key in TABLE
    name: str  # the namespaced name to reverse
    params: tuple[str, ...]


def _pattern_params(pattern: URLPattern | URLResolver) -> list[str]:
    converters = getattr(pattern.pattern, "converters", None)
    if converters is not None:
        return list(converters)
    return list(pattern.pattern.regex.groupindex)


def _skipped_route(route: str) -> bool:
    prefixes = [settings.STATIC_URL or "", settings.MEDIA_URL or ""]
    return any(prefix.strip("/") and route.startswith(prefix.strip("/")) for prefix in prefixes)


def urls_discovered() -> list[Url]:
    """Every URL pattern of the root URLconf but the admin's, static and media files."""
    found: list[tuple[str, str, tuple[str, ...]]] = []

    def walk(patterns: list, namespace: str, route: str, params: list[str]) -> None:
        for pattern in patterns:
            here = route + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                if {pattern.namespace, pattern.app_name} & SKIPPED_NAMESPACES:
                    continue
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, inner, here, params + _pattern_params(pattern))
            elif not _skipped_route(here):
                name = f"{namespace}{pattern.name}" if pattern.name else here
                found.append((name, here, tuple(params + _pattern_params(pattern))))

    walk(get_resolver().url_patterns, "", "", [])
    names = [name for name, _, _ in found]
    urls = []
    for name, _, params in found:
        key = f"{name}[{','.join(params)}]" if names.count(name) > 1 and params else name
        urls.append(Url(key=key, name=name, params=params))
    return urls


URLS = {url.key: url for url in urls_discovered()}


def _rows(key: str) -> tuple[Row, ...]:
    rows = TABLE[key]
    return rows if isinstance(rows, tuple) else (rows,)


CASES = [
    pytest.param(key, index, method, id=f"{key}#{index}-{method}")
    for key in URLS
    if key in TABLE
    for index in range(len(_rows(key)))
    for method in METHODS
    if method in _rows(key)[index].methods
]


# The world, the people and their sessions: built once for the module.


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[World]:
    media = tmp_path_factory.mktemp("permission-table-media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), transaction.atomic():
        built = world_build()
        built["media_root"] = media
        built["sessions"] = {
            persona: _session_key(user(built)) for persona, user in PERSONAS.items()
        }
        yield built
        transaction.set_rollback(True)


def _session_key(user: User | None) -> str | None:
    if user is None:
        return None
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


@pytest.fixture(autouse=True)
def _private_media_in_tmp_path(settings, world: World) -> None:
    """The world's files (documents, evidence, guidance) live in its own media folder."""
    settings.MEDIA_ROOT = world["media_root"]


# Filling a URL and reading a response.


def _fill(url: Url, row: Row, world: World) -> dict[str, object]:
    kwargs = {}
    for param in url.params:
        world_key = row.on.get(param) or next(
            (key for prefix, key in FILL.get(param, []) if url.name.startswith(prefix)), None
        )
        if world_key is None:
            raise LookupError(f"Nothing fills <{param}> of {url.key}: add it to table.FILL")
        value = world[world_key]
        if isinstance(value, str | int):
            kwargs[param] = value
        elif param in PARAMETER_OF:
            kwargs[param] = PARAMETER_OF[param](value)
        else:
            kwargs[param] = value.pk
    return kwargs


def _request(method: str, url: str, row: Row, session_key: str | None) -> HttpResponse:
    client = Client(raise_request_exception=False)
    if session_key is not None:
        client.cookies[settings.SESSION_COOKIE_NAME] = session_key
    with transaction.atomic():
        response = client.post(url, row.data) if method == "POST" else client.get(url)
        if response.streaming:
            # Reading a file to the end closes it, as a server would.
            b"".join(response.streaming_content)
        transaction.set_rollback(True)
    return response


def outcome(method: str, response: HttpResponse) -> str:
    """What a person got in the table's words: ok, sign-in, 403, 404, 405 or another code.

    A 403 counts only when it is the refusal page and says why; a 400 counts as ok for a
    POST, whose input the page explains.
    """
    status = response.status_code
    if status in REDIRECTS:
        location = response["Location"]
        if location.startswith(reverse(settings.LOGIN_URL)):
            return "sign-in" if "next=" in location else "sign-in without ?next="
        return "ok"
    if status < 300 or (status == 400 and method == "POST"):
        return "ok"
    if status == 403:
        page = response.content.decode()
        if REFUSAL_HEADING not in page:
            return "403 without the refusal page"
        if GENERIC_REASON in page:
            return "403 without saying why"
        return "403"
    exc_info = getattr(response, "exc_info", None)
    if exc_info:
        return f"{status} ({exc_info[0].__name__}: {exc_info[1]})"
    return str(status)


# The tests.


def test_every_url_has_a_row():
    missing = [f"no permission row for {key}" for key in URLS if key not in TABLE]
    assert missing == [], "Add rows to tests/permissions/table.py: " + "; ".join(missing)


def test_every_row_is_a_url_and_names_known_personas():
    assert sorted(set(TABLE) - set(URLS)) == []
    for key in TABLE:
        for row in _rows(key):
            assert row.do | row.see <= set(PERSONAS), key


def test_urls_of_every_app_are_discovered():
    namespaces = {key.split(":")[0] for key in URLS if ":" in key}
    assert {"microcomm", "rounds", "applications"} <= namespaces
    assert not any(key.startswith("admin:") for key in URLS)


@pytest.mark.parametrize(("key", "index", "method"), CASES)
def test_each_persona_gets_what_the_rule_says(world, key, index, method):
    url_info = URLS[key]
    row = _rows(key)[index]
    url = reverse(url_info.name, kwargs=_fill(url_info, row, world))

    got = {}
    for persona in PERSONAS:
        response = _request(method, url, row, world["sessions"][persona])
        got[persona] = outcome(method, response)

    signed_in = [persona for persona in PERSONAS if persona != ANONYMOUS]
    if any(got[persona] == "405" for persona in signed_in):
        # The view does not take this method: refused alike for everyone signed in.
        expected = dict.fromkeys(signed_in, "405")
        expected[ANONYMOUS] = got[ANONYMOUS] if got[ANONYMOUS] in ("405", "sign-in") else "405"
    else:
        expected = {persona: row.expected(persona) for persona in PERSONAS}
    wrong = [
        f"{key} {method} {url} as {persona}: got {got[persona]}, expected {expected[persona]}"
        for persona in PERSONAS
        if got[persona] != expected[persona]
    ]
    assert not wrong, "\n".join(wrong)
