"""Tests: PostgreSQL when DATABASE_URL is set, SQLite otherwise."""

import os

from .base import *
from .base import BASE_DIR, DATABASES, env

DEBUG = False
SECRET_KEY = env("DJANGO_SECRET_KEY", default="test-only-key-3f7b9d1c5e2a4b6d8f0e1c3a5b7d9f2e")
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# A real worker in a subprocess writes its emails to files the test reads back.
EMAIL_FILE_PATH = env("TEST_EMAIL_FILE_PATH", default="")
EMAIL_BACKEND = (
    "django.core.mail.backends.filebased.EmailBackend"
    if EMAIL_FILE_PATH
    else "django.core.mail.backends.locmem.EmailBackend"
)

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not memory, so that a worker subprocess can share the test database; another
    # file (TEST_SQLITE_NAME) lets two runs in one checkout keep out of each other's way.
    DATABASES["default"]["TEST"] = {
        "NAME": env("TEST_SQLITE_NAME", default=str(BASE_DIR / ".test-db.sqlite3"))
    }

AXES_COOLOFF_TIME = 1 / 60

# Tasks run in-process unless a test hands them to the real worker. The queue is this
# run's own, so that no other worker on the same Redis takes its tasks.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
CELERY_TASK_DEFAULT_QUEUE = env(
    "CELERY_TASK_DEFAULT_QUEUE", default=f"coproduce-test-{os.getpid()}"
)

# Serve static files straight from the finders, without collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Job kinds the tests run, in-process and in the real worker alike.
EXTRA_JOB_MODULES = ["tests.coproduction.job_kinds"]

# The whole suite calls the API from one address within a minute: the rate limits are
# tested where a test sets its own (tests/api/test_throttling.py).
API_THROTTLE_RATES = {"agency": "100000/min", "session": "100000/min", "anonymous": "100000/min"}
