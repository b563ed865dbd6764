"""`impactcircle worker`: the django-tasks-db worker, plus a heartbeat that /healthz reads.

Each heartbeat also enqueues the periodic jobs that are due (`core.schedule`).
"""

from __future__ import annotations

import logging
import socket
import threading
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connections
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from impactcircle.core.health import record_heartbeat
from impactcircle.core.schedule import enqueue_due_jobs

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


class Command(DatabaseWorkerCommand):
    help = "Run background tasks from the database queue and report a heartbeat for /healthz."

    def handle(self, *args: Any, **options: Any) -> None:
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
