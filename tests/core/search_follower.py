"""A second web process for tests/core/test_search_processes.py (not a test module).

Usage: python search_follower.py DATABASE_NAME QUERY. It loads its own in-memory index, says
"ready", waits for a line on stdin, then searches by meaning for up to 10 seconds and prints
what it found.
"""

from __future__ import annotations

import os
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "impactcircle.config.test_settings")

from django.conf import settings

settings.DATABASES["default"]["NAME"] = sys.argv[1]

import django  # noqa: E402

django.setup()

from impactcircle.core.search import DocumentAccess, search  # noqa: E402

EVERYONE = DocumentAccess(open_audiences=frozenset({"everyone"}))
query = sys.argv[2]
before = search("people.profile", query, EVERYONE)
print(f"ready {len(before)}", flush=True)
sys.stdin.readline()
started = time.monotonic()
while time.monotonic() - started < 10:
    hits = search("people.profile", query, EVERYONE)
    if hits:
        hit = hits[0]
        print(
            f"found {hit.object_id} words={hit.by_words} meaning={hit.by_meaning} "
            f"after={time.monotonic() - started:.2f}",
            flush=True,
        )
        sys.exit(0)
    time.sleep(0.1)
print("missing", flush=True)
sys.exit(1)
