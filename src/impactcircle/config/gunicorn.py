"""gunicorn hooks for `impactcircle run`: stopping takes seconds, and no worker is SIGKILLed.

On SIGTERM the gunicorn master waits `graceful_timeout` seconds for its web workers, then kills
them. A gthread worker waits the same time for its open connections — including ones a browser
opened ahead of time and never used, which a thread watches for up to five seconds — and then
waits again for those threads as the interpreter exits. So a worker used to lose that race and
be SIGKILLed ("Perhaps out of memory?"). Here a worker gives in-flight requests one second less
than the master gives it, then leaves at once without waiting for idle threads.
"""

from __future__ import annotations

import os
import sys
from typing import Any


def post_worker_init(worker: Any) -> None:
    master_grace = int(worker.cfg.graceful_timeout)
    worker.cfg.set("graceful_timeout", max(master_grace - 1, 1))


def worker_exit(server: Any, worker: Any) -> None:
    # Runs in the worker's `finally`; sys.exc_info() is how the worker is leaving.
    leaving = sys.exc_info()[1]
    stopped_cleanly = isinstance(leaving, SystemExit) and leaving.code in (0, None)
    if stopped_cleanly and not worker.alive:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)
