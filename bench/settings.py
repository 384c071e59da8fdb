"""Settings for the bench: production's own, pointed at a database of the bench's own.

Every bench script runs with these (DJANGO_SETTINGS_MODULE=bench.settings). They read
BENCH_DATABASE_URL (PostgreSQL) and refuse to start without it, or when it names the
development database (DATABASE_URL). DEBUG is off, as in production; static files are
found in place (TESTING) so that no collectstatic run is needed, which changes nothing a
page costs to render. With REDIS_URL set the cache is Redis, as in production.
"""

import os
import warnings

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

_bench_url = os.environ.get("BENCH_DATABASE_URL", "").strip()
if not _bench_url:
    raise ImproperlyConfigured(
        "Set BENCH_DATABASE_URL to a PostgreSQL database of the bench's own, for example "
        "postgres://postgres@127.0.0.1:5432/microcomm_bench"
    )
if not _bench_url.startswith(("postgres://", "postgresql://")):
    raise ImproperlyConfigured("BENCH_DATABASE_URL must be a PostgreSQL database")
if _bench_url == os.environ.get("DATABASE_URL", "").strip():
    raise ImproperlyConfigured(
        "BENCH_DATABASE_URL is the same as DATABASE_URL: give the bench its own database"
    )
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("TESTING", "1")
os.environ.setdefault("SECRET_KEY", "bench-only-key-never-used-outside-the-bench")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")

from microcomm.settings import *  # noqa: E402, F403
from microcomm.settings import ALLOWED_HOSTS, LOGGING  # noqa: E402

DATABASES = {
    "default": dj_database_url.parse(
        _bench_url,
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
ROOT_URLCONF = "bench.urls"
# Static files are found in place (TESTING), so there is no collected folder to warn about.
warnings.filterwarnings("ignore", message="No directory at")
# The test client's host, for bench/pages.py.
ALLOWED_HOSTS = [*ALLOWED_HOSTS, "testserver"]
# A 404 or a refusal is counted in the table, not logged on every request.
LOGGING = {**LOGGING, "root": {**LOGGING["root"], "level": "ERROR"}}
