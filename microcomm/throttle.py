"""Limits on what one person or one client can ask for: sign-ins, reset emails, new links.

Failed sign-ins are counted by django-axes (settings: ``AXES_*``); this module tells it
how to read the account and the client's address, and answers a locked sign-in with the
sign-in page saying when to try again. Emails a visitor can trigger (password reset,
confirmation links sent again, "you already have an account") are counted here in the
cache, per email address and per client address, in a fixed window.
"""

from __future__ import annotations

import datetime
import hashlib
from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_cool_off
from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from microcomm.errors import DomainError
from microcomm.formatting import clock_words, london_datetime
from microcomm.forms import SignInForm


def client_address(request: HttpRequest) -> str:
    """The address the request came from; behind the proxy, the one the proxy saw."""
    if settings.BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        entries = [entry.strip() for entry in forwarded.split(",") if entry.strip()]
        if entries:
            return entries[-1][:45]
    return request.META.get("REMOTE_ADDR", "")[:45]


def sign_in_username(request: HttpRequest, credentials: dict[str, Any] | None = None) -> str:
    """The account a sign-in names, however it was typed: "Sam@Example.org " is sam@example.org."""
    source = credentials if credentials else getattr(request, "POST", {})
    username = source.get("username") or ""
    return str(username).strip().lower()[:254]


def try_again_time(until: datetime.datetime) -> str:
    """ "3:15pm" today, "3:15pm on 4 June 2027" another day; never a little early."""
    local = timezone.localtime(until)
    if local.second or local.microsecond:
        local = local.replace(second=0, microsecond=0) + datetime.timedelta(minutes=1)
    if local.date() == timezone.localdate():
        return clock_words(local)
    return london_datetime(local)


def try_again_message(until: datetime.datetime) -> str:
    """ "You have tried too many times. Try again after 3:15pm." """
    return f"You have tried too many times. Try again after {try_again_time(until)}."


def sign_in_locked_until(
    request: HttpRequest, credentials: dict[str, Any] | None
) -> datetime.datetime:
    """When the lock on this sign-in ends: the last counted failure plus the cool-off."""
    handler = AxesDatabaseHandler()
    latest = None
    for attempts in handler.get_user_attempts(request, credentials):
        for attempt_time in attempts.values_list("attempt_time", flat=True):
            if latest is None or attempt_time > latest:
                latest = attempt_time
    cool_off = get_cool_off(request) or datetime.timedelta(0)
    return (latest or timezone.now()) + cool_off


def sign_in_locked_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """The sign-in page again, saying in plain words when the person can try again."""
    form = SignInForm(request, initial={"username": sign_in_username(request)})
    message = try_again_message(sign_in_locked_until(request, credentials))
    return render(
        request,
        "microcomm/sign_in.html",
        {"form": form, "error_message": message, "next": request.POST.get("next", "")},
        status=429,
    )


# Emails a visitor can trigger --------------------------------------------------------


class Throttled(DomainError):
    """Too many requests of one kind; ``until`` says when the next one will be accepted."""

    def __init__(self, until: datetime.datetime, field: str | None = None) -> None:
        self.until = until
        super().__init__(try_again_message(until), field=field)


def _key(scope: str, kind: str, value: str) -> str:
    digest = hashlib.sha256(value.strip().lower().encode()).hexdigest()[:32]
    return f"{settings.THROTTLE_KEY_PREFIX}:{scope}:{kind}:{digest}"


def _hit(key: str, *, limit: int, window: datetime.timedelta) -> datetime.datetime | None:
    """Count one request; the moment the window ends when this one is over the limit."""
    seconds = int(window.total_seconds())
    now = timezone.now().timestamp()
    cache.add(f"{key}:start", now, seconds)
    cache.add(f"{key}:count", 0, seconds)
    try:
        count = cache.incr(f"{key}:count")
    except ValueError:
        # The window ended between the two lines above: this is the first of a new one.
        cache.set(f"{key}:start", now, seconds)
        cache.set(f"{key}:count", 1, seconds)
        count = 1
    if count <= limit:
        return None
    start = cache.get(f"{key}:start") or now
    return datetime.datetime.fromtimestamp(start, tz=datetime.UTC) + window


def email_throttle(
    *, scope: str, email: str, request: HttpRequest, per_client: bool = True
) -> None:
    """Count one email of this kind asked for this address from this client.

    Raises ``Throttled`` (a ``DomainError`` on the email field) once either limit is
    passed in the window; the message says when to try again. The count is of the
    address typed, whether or not an account has it, so the answer reveals nothing.
    """
    window = settings.EMAIL_THROTTLE_WINDOW
    ends = [
        _hit(_key(scope, "email", email), limit=settings.EMAIL_THROTTLE_PER_ADDRESS, window=window)
    ]
    if per_client:
        ends.append(
            _hit(
                _key(scope, "client", client_address(request)),
                limit=settings.EMAIL_THROTTLE_PER_CLIENT,
                window=window,
            )
        )
    blocked = [end for end in ends if end is not None]
    if blocked:
        raise Throttled(max(blocked), field="email")
