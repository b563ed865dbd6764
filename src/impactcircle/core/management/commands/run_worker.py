"""`impactcircle worker`: the django-tasks-db worker, plus a heartbeat that /healthz reads.

`--queue interactive --queue bulk` chooses the queues to serve (default: both). django-tasks-db
claims the ready task with the highest priority first, then the oldest; interactive tasks carry a
higher priority than bulk ones (`core.tasks`), so a worker serving both always takes the
interactive work first, whatever the order of the options.

Each heartbeat also enqueues the periodic jobs that are due (`core.schedule`).
"""

from __future__ import annotations

import logging
import socket
import threading
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError
from django.db import DatabaseError, connections
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from impactcircle.core.health import record_heartbeat
from impactcircle.core.schedule import enqueue_due_jobs
from impactcircle.core.tasks import QUEUES

logger = logging.getLogger(__name__)


def _beat_forever(worker_id: str, stop: threading.Event) -> None:
    while not stop.is_set():
        try:
            record_heartbeat(worker_id)
            enqueue_due_jobs()  # periodic jobs (core.schedule); each moment claimed only once
        except DatabaseError:
            logger.exception("Could not record the worker heartbeat")
        finally:
            connections.close_all()  # this thread's connections only
        stop.wait(settings.WORKER_HEARTBEAT_SECONDS)


def queues_to_serve(queues: list[str] | None, queue_name: str | None) -> str:
    """The `--queue-name` value of django-tasks-db's worker for our options (comma-separated).

    `--queue` (repeatable) names our queues; `--queue-name` stays for anything else (e.g. `*`,
    or `default` to drain tasks queued before the queues existed); not both.
    """
    if queues and queue_name:
        raise CommandError("Give --queue or --queue-name, not both.")
    if queue_name:
        return queue_name
    chosen = queues or list(QUEUES)
    return ",".join(queue for queue in QUEUES if queue in chosen)  # each once, in claim order


class Command(DatabaseWorkerCommand):
    help = (
        "Run background tasks from the database queues (interactive before bulk) and report a "
        "heartbeat for /healthz."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        parser.set_defaults(queue_name=None)  # django-tasks-db's default is a queue we do not use
        parser.add_argument(
            "--queue",
            action="append",
            dest="queues",
            choices=QUEUES,
            help="A queue to serve; repeat to serve several (default: all of them). Interactive "
            "tasks are always claimed before bulk ones.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        options["queue_name"] = queues_to_serve(options.pop("queues"), options["queue_name"])
        worker_id = f"{socket.gethostname()}:{options.get('worker_id') or 'worker'}"[:64]
        stop = threading.Event()
        beat = threading.Thread(
            target=_beat_forever, args=(worker_id, stop), name="heartbeat", daemon=True
        )
        beat.start()
        try:
            super().handle(*args, **options)
        finally:
            stop.set()
