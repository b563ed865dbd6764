"""The state of the database, the cache and the task workers, for /healthz."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.utils import timezone

from impactcircle.core.models import WorkerHeartbeat


@dataclass(frozen=True)
class Health:
    database: str
    cache: str
    worker: str
    worker_last_heartbeat: str | None

    @property
    def is_serving(self) -> bool:
        """Whether this web process can answer requests: database and cache both work."""
        return self.database == "ok" and self.cache == "ok"

    def as_json(self) -> dict[str, object]:
        return {
            "status": "ok" if self.is_serving else "unavailable",
            "database": self.database,
            "cache": self.cache,
            "worker": {"status": self.worker, "last_heartbeat": self.worker_last_heartbeat},
        }


def record_heartbeat(worker_id: str) -> None:
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id, defaults={"seen_at": timezone.now()}
    )


def _database_state() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        return f"error: {type(error).__name__}"
    return "ok"


def _cache_state() -> str:
    key = f"healthz:{secrets.token_hex(8)}"
    try:
        cache.set(key, "1", timeout=10)
        value = cache.get(key)
        cache.delete(key)
    except Exception as error:  # any cache backend failure means "not working"
        return f"error: {type(error).__name__}"
    return "ok" if value == "1" else "error: value not kept"


def current_health() -> Health:
    database = _database_state()
    worker, last_seen = "unknown", None
    if database == "ok":
        latest = WorkerHeartbeat.objects.order_by("-seen_at").first()
        if latest is None:
            worker = "never seen"
        else:
            last_seen = latest.seen_at.isoformat()
            stale_after = timedelta(seconds=settings.WORKER_STALE_AFTER_SECONDS)
            worker = "ok" if timezone.now() - latest.seen_at <= stale_after else "stale"
    return Health(
        database=database, cache=_cache_state(), worker=worker, worker_last_heartbeat=last_seen
    )
