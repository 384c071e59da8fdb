"""Caches that stay true: whole public pages, and aggregates that many pages show.

Each kind of cached thing (``PUBLIC_PAGES``, ``GAPS``) has a generation: a random token
kept in the cache. An entry records the generation it was made in and is used only while
that is still the kind's generation. A service that changes what a kind shows is decorated
with ``@invalidates(kind, ...)``: once its transaction commits, the kind gets a new token
and every entry of that kind is stale at once, however many addresses or filters there
are, with no keys to find and delete. The generation is read before the page or number is
computed, so one computed during the change is stale too. A generation the cache lost
(Redis restarted, or evicted it) is replaced by a new token, which also makes every older
entry stale: losing it costs a recomputation, never a stale page.

Every entry also expires after at most ``MAX_AGE`` seconds, a backstop for the few changes
that do not go through a service (places and themes edited in the Django admin).

Public pages (``public_page``): a page is kept for visitors who are not signed in, for a
GET without htmx, with no message waiting for the visitor, and with only the query
parameters the view names, briefly (``MAX_QUERY`` characters, each parameter once): an
address with anything else is rendered as usual and not kept, so nobody can fill the cache
with made-up addresses. The key is the full address (scheme, host, path and query). A page
is kept only when it answered 200, set no cookie and wrote nothing to the session.
Someone signed in never gets a kept page and never fills one.

A kept page must not hand one visitor's secrets to another. Two per-response values in a
page are handled:

- The Content-Security-Policy nonce of the base layout's two inline scripts. The page is
  kept with the nonce it was rendered with (16 random bytes, which no content written
  before that render can contain), and each response served from the cache replaces it
  with the response's own fresh nonce, which the CSP middleware then puts in the header.
  So every response's scripts carry the nonce of its own header, never a reused one.
- The CSRF token of a form (``{% csrf_token %}``: the eligibility checker). The kept page
  holds a random marker in place of the token, and each response served from the cache
  gets the visitor's own token (``get_token``, which also sets the visitor's CSRF cookie
  as a rendered form would).
"""

from __future__ import annotations

import functools
import hashlib
import re
import secrets
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ParamSpec, TypeVar

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone

PUBLIC_PAGES = "public-pages"
"""Pages for visitors who are not signed in: rounds, FAQs, guidance, the ORUK services."""
GAPS = "gaps"
"""The gap analysis matrix and the largest gaps, from needs and services."""

MAX_AGE = 10 * 60
"""Seconds an entry is kept at most, whatever its generation."""
MAX_QUERY = 100
"""The longest query string a kept page may have."""

_CSRF_INPUT = re.compile(rb'(<input type="hidden" name="csrfmiddlewaretoken" value=")([^"]+)(")')

P = ParamSpec("P")
T = TypeVar("T")


def _generation_key(kind: str) -> str:
    return f"{settings.CACHE_GENERATION_PREFIX}:{kind}"


def _generation_new(kind: str) -> str:
    """A token for a kind whose generation the cache does not hold (first use, or lost)."""
    token = uuid.uuid4().hex
    if cache.add(_generation_key(kind), token, timeout=None):
        return token
    return cache.get(_generation_key(kind)) or token


def _generation_bump_now(kinds: tuple[str, ...]) -> None:
    cache.set_many({_generation_key(kind): uuid.uuid4().hex for kind in kinds}, timeout=None)


def cache_generation_bump(*kinds: str) -> None:
    """Make every cached entry of these kinds stale, once the current transaction commits."""
    transaction.on_commit(functools.partial(_generation_bump_now, kinds))


def invalidates(*kinds: str) -> Callable[[Callable[P, T]], Callable[P, T]]:
    """Decorate a service that changes what these kinds show: each call that returns makes
    them stale when its transaction commits (nothing happens if it rolls back)."""

    def decorate(service: Callable[P, T]) -> Callable[P, T]:
        @functools.wraps(service)
        def changed(*args: P.args, **kwargs: P.kwargs) -> T:
            result = service(*args, **kwargs)
            cache_generation_bump(*kinds)
            return result

        return changed

    return decorate


# Part of every entry's key: change it when what an entry holds changes shape (KeptPage's
# fields), so that a deploy never reads an entry the code before it wrote.
_ENTRY_FORMAT = 1


def _entry_key(kind: str, name: str) -> str:
    return f"{kind}:{_ENTRY_FORMAT}:{hashlib.sha256(name.encode()).hexdigest()}"


def _generation_and_entry(kind: str, key: str) -> tuple[str, Any]:
    """The kind's generation and the entry, in one round trip to the cache."""
    generation_key = _generation_key(kind)
    found = cache.get_many([generation_key, key])
    return found.get(generation_key) or _generation_new(kind), found.get(key)


def _seconds_until(until: datetime | None) -> int:
    """How long an entry may be kept: ``MAX_AGE``, or less when the clock changes it first."""
    if until is None:
        return MAX_AGE
    return min(MAX_AGE, int((until - timezone.now()).total_seconds()))


def generation_cached(
    *,
    kind: str,
    name: str,
    compute: Callable[[], T],
    until: Callable[[], datetime | None] | None = None,
    expires: Callable[[T], datetime | None] | None = None,
) -> T:
    """``compute()``, kept until the kind's generation changes (or ``MAX_AGE`` passes).

    ``name`` says everything the value depends on besides the kind's data (its filters).
    ``until``: when the value would change by the clock alone, so it is computed afresh.
    ``expires``: the same, read from the value itself (a value that is a moment).
    """
    key = _entry_key(kind, name)
    generation, entry = _generation_and_entry(kind, key)
    if entry is not None and entry[0] == generation:
        return entry[1]
    # Asked before computing, so that a change by the clock during it is not missed.
    seconds = _seconds_until(until() if until is not None else None)
    value = compute()
    if expires is not None:
        seconds = min(seconds, _seconds_until(expires(value)))
    if seconds >= 1:
        cache.set(key, (generation, value), timeout=seconds)
    return value


# Whole public pages ----------------------------------------------------------------------


@dataclass(frozen=True)
class KeptPage:
    generation: str
    content: bytes
    content_type: str
    headers: tuple[tuple[str, str], ...]
    nonce: bytes
    csrf_marker: bytes

    def response(self, request: HttpRequest) -> HttpResponse:
        """The page for this visitor: their own nonce and CSRF token in it."""
        content = self.content
        if self.nonce:
            content = content.replace(self.nonce, str(request.csp_nonce).encode())
        if self.csrf_marker:
            content = content.replace(self.csrf_marker, get_token(request).encode())
        response = HttpResponse(content, content_type=self.content_type)
        for header, value in self.headers:
            response[header] = value
        return response


# Headers a kept page keeps; the rest are added again by the middleware on every response.
_KEPT_HEADERS = ("Content-Disposition",)
# A file larger than this is streamed from storage each time rather than kept.
_MAX_KEPT_BYTES = 2 * 1024 * 1024


def _page_key(request: HttpRequest, query: frozenset[str]) -> str | None:
    """The key of the page for this request, or None when it must not come from the cache."""
    if request.method != "GET" or "HTTP_HX_REQUEST" in request.META:
        return None
    query_string = request.META.get("QUERY_STRING", "")
    if query_string:
        if len(query_string) > MAX_QUERY:
            return None
        names = request.GET.keys()
        if not query.issuperset(names) or any(len(request.GET.getlist(n)) > 1 for n in names):
            return None
    if request.user.is_authenticated or len(messages.get_messages(request)):
        return None
    return _entry_key(PUBLIC_PAGES, request.build_absolute_uri())


def _content(response: HttpResponse) -> bytes | None:
    """The body of a response that may be kept, or None."""
    if not response.streaming:
        return response.content
    length = int(response.get("Content-Length") or _MAX_KEPT_BYTES + 1)
    if length > _MAX_KEPT_BYTES:
        return None
    content = b"".join(response.streaming_content)
    # The file only: closing the response would send request_finished in mid-request.
    opened = getattr(response, "file_to_stream", None)
    if opened is not None:
        opened.close()
    return content


def _keep(
    request: HttpRequest,
    response: HttpResponse,
    *,
    key: str,
    generation: str,
    until: datetime | None,
) -> HttpResponse:
    """Keep the page when it may be kept; returns the response to send."""
    seconds = _seconds_until(until)
    if (
        seconds < 1
        or response.status_code != 200
        or response.cookies
        or "private" in response.get("Cache-Control", "")
        or "no-store" in response.get("Cache-Control", "")
        or request.session.modified
        or len(messages.get_messages(request))
    ):
        return response
    content = _content(response)
    if content is None:
        return response
    if response.streaming:
        kept = HttpResponse(content, content_type=response["Content-Type"])
        for header in _KEPT_HEADERS:
            if header in response:
                kept[header] = response[header]
        response = kept
    nonce = str(request.csp_nonce).encode() if request.csp_nonce else b""
    csrf_marker = b""
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        csrf_marker = secrets.token_hex(16).encode()
        content, forms = _CSRF_INPUT.subn(rb"\g<1>" + csrf_marker + rb"\g<3>", content)
        if not forms:
            # The token is somewhere the marker cannot reach: not a page to share.
            return response
    page = KeptPage(
        generation=generation,
        content=content,
        content_type=response["Content-Type"],
        headers=tuple((h, response[h]) for h in _KEPT_HEADERS if h in response),
        nonce=nonce,
        csrf_marker=csrf_marker,
    )
    cache.set(key, page, timeout=seconds)
    return response


def public_page(
    *, query: Iterable[str] = (), until: Callable[[], datetime | None] | None = None
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Keep a view's page for visitors who are not signed in, until ``PUBLIC_PAGES`` changes.

    ``query``: the query parameters that choose what the page shows (a page number), each
    address with them kept on its own. ``until``: when the page would change by the clock
    alone (a round opening), so that it is rendered afresh then.
    """
    allowed = frozenset(query)

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def kept_or_rendered(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            key = _page_key(request, allowed)
            if key is None:
                return view(request, *args, **kwargs)
            generation, page = _generation_and_entry(PUBLIC_PAGES, key)
            if page is not None and page.generation == generation:
                return page.response(request)
            # Asked before rendering, so that a change by the clock during it is not missed.
            fresh_until = until() if until is not None else None
            response = view(request, *args, **kwargs)
            return _keep(request, response, key=key, generation=generation, until=fresh_until)

        return kept_or_rendered

    return decorate
