"""Settings for the test suite: development defaults, fast hashing, mail to the outbox."""

import os

os.environ.setdefault("DEBUG", "1")
os.environ["TESTING"] = "1"

from microcomm.settings import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tasks run inline in the test process; the real-worker tests switch this off and start
# a Celery worker against Redis.
CELERY_TASK_ALWAYS_EAGER = True
