from __future__ import annotations

import threading
from datetime import datetime

import pytest

from impactcircle.core.management.commands import run_worker
from impactcircle.core.models import WorkerHeartbeat


@pytest.mark.django_db(transaction=True)
def test_each_heartbeat_also_enqueues_the_due_periodic_jobs(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    stop = threading.Event()
    calls: list[datetime | None] = []

    def enqueue_due_jobs(now: datetime | None = None) -> list[str]:
        calls.append(now)
        stop.set()  # one beat is enough
        return []

    monkeypatch.setattr(run_worker, "enqueue_due_jobs", enqueue_due_jobs)

    beat = threading.Thread(target=run_worker._beat_forever, args=("test-worker", stop))
    beat.start()
    beat.join()

    assert calls == [None]
    assert WorkerHeartbeat.objects.filter(worker_id="test-worker").exists()
