"""Settings for the test suite: the production settings with fast, isolated services."""

from __future__ import annotations

import os
import tempfile

os.environ.setdefault(
    "SECRET_KEY", "test-only-secret-key-that-is-long-enough-for-django-checks-1234"
)
os.environ.setdefault("SITE_URL", "https://testserver")
# The test client speaks HTTPS itself; there is no proxy header to trust.
os.environ.setdefault("BEHIND_PROXY", "0")
# A folder of this process's own, so that test runs side by side never share a database file.
os.environ.setdefault("DATA_DIR", tempfile.mkdtemp(prefix="impactcircle-tests-"))

from impactcircle.config.settings import *  # noqa: F403
from impactcircle.config.settings import DATA_DIR, DATABASES, TASK_QUEUES

# Argon2 is deliberately slow; tests that hash hundreds of passwords use MD5. Production settings
# keep Argon2 first (tests/config/test_deployment_settings.py checks it).
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# The same queues as production, so that a task on an undeclared queue fails here too.
TASKS = {
    "default": {
        "BACKEND": "django.tasks.backends.immediate.ImmediateBackend",
        "QUEUES": TASK_QUEUES,
    }
}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
SESSION_ENGINE = "django.contrib.sessions.backends.db"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True  # serve from the apps' static folders, no collectstatic
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not memory, so that tests see WAL and can run concurrent writers in threads.
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test.sqlite3")}
