"""Database upkeep: fresh planner statistics after bulk loads, and the periodic clean-ups.

- `refresh_planner_statistics()` runs after the demo build and `impactcircle reindex`: `ANALYZE`
  on PostgreSQL (the directory's filtered query took 472 ms on a freshly loaded database until
  statistics existed, 50 ms after), `PRAGMA optimize` on SQLite.
- Two daily jobs (registered in core/apps.py): finished task results older than 14 days are
  pruned, and expired database sessions are removed.
- `check --deploy` warns when PostgreSQL's autovacuum is off (docs/deployment.md says what to
  schedule then).
"""

from __future__ import annotations

from typing import Any

from django.core import checks
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.utils import DatabaseError
from django.tasks import task

from impactcircle.core.tasks import BULK, BULK_PRIORITY

TASK_RESULTS_KEPT_DAYS = 14


def refresh_planner_statistics(alias: str = DEFAULT_DB_ALIAS) -> str:
    """Gather fresh statistics for the query planner; returns the statement that ran."""
    connection = connections[alias]
    # SQLite: 0x10002 analyses every table that needs it, not only those queried since the
    # connection opened (the default), with the analysis limit SQLite chooses.
    statement = "ANALYZE" if connection.vendor == "postgresql" else "PRAGMA optimize=0x10002"
    with connection.cursor() as cursor:
        cursor.execute(statement)
    return statement


@task(queue_name=BULK, priority=BULK_PRIORITY)
def prune_finished_task_results() -> None:
    """Delete finished task results older than two weeks, from every queue."""
    call_command(
        "prune_db_task_results",
        queue_name="*",
        min_age_days=TASK_RESULTS_KEPT_DAYS,
        verbosity=0,
    )


@task(queue_name=BULK, priority=BULK_PRIORITY)
def clear_expired_sessions() -> None:
    """Remove expired sessions (a database or cache-backed store; a no-op for others)."""
    call_command("clearsessions", verbosity=0)


def create_cache_tables(using: str = DEFAULT_DB_ALIAS, **_signal: Any) -> None:
    """After `migrate`: the database cache's table (when the cache is the database), so that a
    migrated database is a usable one; `createcachetable` skips tables that exist."""
    call_command("createcachetable", database=using, verbosity=0)


def check_autovacuum(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Deploy check: PostgreSQL's autovacuum keeps statistics fresh and tables compact."""
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.vendor != "postgresql":
        return []
    try:
        with connection.cursor() as cursor:
            cursor.execute("SHOW autovacuum")
            (setting,) = cursor.fetchone() or ("on",)
    except DatabaseError:
        return []  # no database to ask (e.g. building an image); other checks say so
    if setting == "on":
        return []
    return [
        checks.Warning(
            "PostgreSQL's autovacuum is off: planner statistics go stale and deleted rows are "
            "never reclaimed, so pages slow down as data changes.",
            hint="Turn autovacuum on, or schedule `VACUUM (ANALYZE)` nightly "
            "(docs/deployment.md, 'Database upkeep').",
            id="core.W201",
        )
    ]
