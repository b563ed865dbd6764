"""gunicorn settings and hooks: `gunicorn impactcircle.config.wsgi --config
python:impactcircle.config.gunicorn` (as `impactcircle run` does). Flags on the command line win
over these module variables, e.g. `--workers`, `--bind`.

Serve settings (sized in the README's "Deployment: sizing"; measured with `bench/load`):

- gthread workers with `threads` each: a worker process serves that many requests at once, and
  an idle keep-alive connection waits in the worker's poller without holding a thread.
- `keepalive` 75 s, like nginx's default: longer than any client or reverse proxy keeps an idle
  connection for reuse. With gunicorn's default 2 s a client that reused a connection after a
  2-second pause raced the server closing it, and got `ConnectionResetError` /
  `RemoteDisconnected` (4–10 dropped requests a run under load). A proxy in front must close
  its idle upstream connections sooner than this (nginx `keepalive_timeout` 60 s in its
  `upstream`), so the proxy, never gunicorn, ends an idle connection.
- `timeout` 30 s: a worker that sends no heartbeat for that long is restarted (with gthread
  the heartbeat continues while threads work, so a slow request is not killed by it).
- `graceful_timeout` 30 s on SIGTERM/SIGHUP for requests in flight (`impactcircle run` passes
  3 s on the command line, so Ctrl-C is quick on a laptop).
- `backlog` 2048 connections queued in the kernel while every thread is busy, instead of being
  refused at a burst.
- `max_requests` 10,000 with up to 1,000 of jitter: each worker is replaced after that many
  requests (the master starts the new one first), which bounds slow memory growth; the jitter
  keeps workers from restarting at the same moment.

Hooks — stopping takes seconds, and no worker is SIGKILLed: on SIGTERM the gunicorn master waits
`graceful_timeout` seconds for its web workers, then kills them. A gthread worker waits the same
time for its open connections — including ones a browser opened ahead of time and never used,
which a thread watches for up to five seconds — and then waits again for those threads as the
interpreter exits. So a worker used to lose that race and be SIGKILLed ("Perhaps out of
memory?"). Here a worker gives in-flight requests one second less than the master gives it,
then leaves at once without waiting for idle threads. A starting worker also loads the search
index (every document's words and vector) in a thread of its own, so that no search waits for it.
"""

from __future__ import annotations

import os
import sys
from typing import Any

worker_class = "gthread"
threads = 4
keepalive = 75
timeout = 30
graceful_timeout = 30
backlog = 2048
max_requests = 10_000
max_requests_jitter = 1_000


def web_workers_for(cores: int | None) -> int:
    """Worker processes for a machine with `cores` CPUs (None: unknown): one per core, at least
    two (a slow request never stalls the whole site), at most eight (past that, run more
    machines or containers behind the proxy; each worker keeps its own caches and in-memory
    search index)."""
    return min(max(cores or 1, 2), 8)


def post_worker_init(worker: Any) -> None:
    master_grace = int(worker.cfg.graceful_timeout)
    worker.cfg.set("graceful_timeout", max(master_grace - 1, 1))
    # The search index (vectors and words of every document) loads while the worker already
    # serves, instead of during somebody's first search.
    from impactcircle.core.search.live_index import warm_in_background

    warm_in_background()


def worker_exit(server: Any, worker: Any) -> None:
    # Runs in the worker's `finally`; sys.exc_info() is how the worker is leaving.
    leaving = sys.exc_info()[1]
    stopped_cleanly = isinstance(leaving, SystemExit) and leaving.code in (0, None)
    if stopped_cleanly and not worker.alive:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)
