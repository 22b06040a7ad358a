"""Tests: SQLite by default; DATABASE_URL and CELERY_BROKER_URL select PostgreSQL and Redis."""

import os
import tempfile

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-not-secret-qaportal")
os.environ.setdefault("QAPORTAL_RUN_DIR", tempfile.mkdtemp(prefix="qaportal-test-"))
# Each pytest-xdist worker has its own database, so it needs its own run folder too: file
# locks (SQLite's job lock) held by one worker must not block the other's same-named job.
if os.environ.get("PYTEST_XDIST_WORKER"):
    os.environ["QAPORTAL_RUN_DIR"] = os.path.join(
        os.environ["QAPORTAL_RUN_DIR"], os.environ["PYTEST_XDIST_WORKER"]
    )

from qaportal.settings.base import *  # noqa: F403
from qaportal.settings.base import DATABASES

DEBUG = False
# Every kept query SQL is checked against a fresh build (core/prepared.py).
PREPARED_QUERIES_CHECK = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
AXES_FAILURE_LIMIT = 5
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": ":memory:"}
    DATABASES["default"]["OPTIONS"] = {}

# With Redis as the cache, each xdist worker has a Redis database of its own (the one in
# REDIS_URL, plus 1 plus the worker's number): a test's cache.clear() empties the whole
# database, and emptied the other worker's counters under its feet (the family links'
# guessing limit, tests/test_family_links.py).
from qaportal.settings.base import REDIS_URL  # noqa: E402

_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
if REDIS_URL and _worker.startswith("gw"):
    from qaportal.settings.base import CACHES

    _base, _, _db = REDIS_URL.rstrip("/").rpartition("/")
    if not _db.isdigit():
        _base, _db = REDIS_URL.rstrip("/"), "0"
    CACHES["default"]["LOCATION"] = f"{_base}/{int(_db) + 1 + int(_worker[2:])}"

# The broker round-trip test needs somewhere to keep results: Redis when given, else files.
from qaportal.settings.base import CELERY_BROKER_URL, RUN_DIR  # noqa: E402

if CELERY_BROKER_URL.startswith("redis://"):
    CELERY_RESULT_BACKEND = CELERY_BROKER_URL
else:
    (RUN_DIR / "results").mkdir(parents=True, exist_ok=True)
    CELERY_RESULT_BACKEND = f"file://{RUN_DIR / 'results'}"
