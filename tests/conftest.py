"""Fixtures for every test: real services or a clear skip, private media, the demo scheme.

With REQUIRE_SERVICES=1 (as in CI) a missing PostgreSQL, Redis or Chromium fails the tests
that need it instead of skipping them, so a broken pipeline cannot pass by skipping.
"""

from __future__ import annotations

import functools
import io
import os
import shutil
import uuid
from typing import NoReturn

import pytest
import redis
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from microcomm.demo import DEMO_LOGINS, DemoLogin
from microcomm.models import User
from microcomm.two_factor import second_factor_required

_force_login_without_second_factor = Client.force_login


def force_login_without_second_factor(client: Client, user: User, backend=None) -> None:
    """A session after the password only: one that still owes its second factor."""
    _force_login_without_second_factor(client, user, backend)


def _force_login_both_steps(client: Client, user: User, backend=None) -> None:
    """``force_login`` stands for a whole sign-in, second step included.

    Someone who must use two-step sign-in (admins, commissioners) or turned it on gets an
    authenticator app, if they have none, and the session is marked as verified by it,
    as django-otp's own ``login`` does after a right code. Tests of the second step
    itself sign in through the pages, or use ``force_login_without_second_factor``.
    """
    _force_login_without_second_factor(client, user, backend)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None and not second_factor_required(user):
        return
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Test authenticator", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


Client.force_login = _force_login_both_steps


def require_services(problem: str) -> NoReturn:
    """Fail when CI promised every service (REQUIRE_SERVICES=1); skip otherwise."""
    if os.environ.get("REQUIRE_SERVICES", "").strip() == "1":
        pytest.fail(f"REQUIRE_SERVICES=1 but {problem}", pytrace=False)
    pytest.skip(problem)


def _postgres_problem() -> str | None:
    if not os.environ.get("DATABASE_URL", "").strip():
        return "PostgreSQL is not configured: set DATABASE_URL"
    engine = settings.DATABASES["default"]["ENGINE"]
    if "postgresql" not in engine:
        return f"DATABASE_URL does not point at PostgreSQL (engine {engine})"
    return None


@functools.cache
def _redis_problem() -> str | None:
    url = os.environ.get("REDIS_URL", "").strip()
    if not url:
        return "Redis is not configured: set REDIS_URL"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2).ping()
    except redis.RedisError as error:
        return f"Redis at REDIS_URL does not answer: {error}"
    return None


def _chromium_executable() -> str | None:
    candidates = [os.environ.get("CHROMIUM_PATH", "").strip(), "/usr/bin/chromium"]
    candidates.append(shutil.which("chromium") or "")
    for candidate in candidates:
        if candidate and os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    return None


def _chromium_problem() -> str | None:
    if _chromium_executable() is None:
        return "Chromium is not installed: set CHROMIUM_PATH or install /usr/bin/chromium"
    return None


_SERVICE_PROBLEMS = {
    "postgres": _postgres_problem,
    "redis": _redis_problem,
    "browser": _chromium_problem,
}


def pytest_runtest_setup(item: pytest.Item) -> None:
    for marker, problem_of in _SERVICE_PROBLEMS.items():
        if item.get_closest_marker(marker) is not None:
            problem = problem_of()
            if problem is not None:
                require_services(problem)


_DJANGO_DB_ARGS = (
    "transaction",
    "reset_sequences",
    "databases",
    "serialized_rollback",
    "available_apps",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Give every transactional test (browser tests included) serialized rollback.

    A transactional test ends by emptying every table, which also removes the rows data
    migrations made (role groups, population groups). Serialized rollback puts them back
    before the next test. It must be all or none: an ordinary flush recreates content
    types under new ids, and a later restore then collides with them.
    """
    for item in items:
        marker = item.get_closest_marker("django_db")
        kwargs = dict(zip(_DJANGO_DB_ARGS, marker.args, strict=False)) if marker else {}
        kwargs.update(marker.kwargs if marker else {})
        fixtures = getattr(item, "fixturenames", ())
        transactional = (
            kwargs.get("transaction")
            or kwargs.get("reset_sequences")
            or "transactional_db" in fixtures
            or "live_server" in fixtures
        )
        if transactional and not kwargs.get("serialized_rollback"):
            kwargs.update(transaction=True, serialized_rollback=True)
            item.add_marker(pytest.mark.django_db(**kwargs), append=False)


@pytest.fixture(scope="session")
def redis_url() -> str:
    """The URL of a Redis server that answers."""
    problem = _redis_problem()
    if problem is not None:
        require_services(problem)
    return os.environ["REDIS_URL"].strip()


@pytest.fixture(scope="session")
def chromium_path() -> str:
    """The Chromium executable the browser tests drive."""
    executable = _chromium_executable()
    if executable is None:
        require_services(_chromium_problem() or "Chromium is not installed")
    return executable


@pytest.fixture(autouse=True)
def _private_media_in_tmp_path(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fresh_throttle_counts(settings) -> None:
    """Each test counts its own emails asked for, even when Redis keeps the cache."""
    settings.THROTTLE_KEY_PREFIX = f"throttle-{uuid.uuid4().hex}"


@pytest.fixture(autouse=True)
def _fresh_cache_generations(settings) -> None:
    """Each test starts with no cached page or aggregate, even when Redis keeps the cache."""
    settings.CACHE_GENERATION_PREFIX = f"generation-{uuid.uuid4().hex}"


@pytest.fixture
def demo(db) -> list[DemoLogin]:
    """The demo scheme, with a login per role (password microcomm.demo.DEMO_PASSWORD)."""
    call_command("seed_demo", stdout=io.StringIO())
    return DEMO_LOGINS
