"""Reading settings from environment variables, with clear errors for bad values."""

from __future__ import annotations

import os
from typing import Any

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_bool(name: str, *, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name} must be one of 1/0, true/false, yes/no, on/off; got {raw!r}"
    )


def env_int(name: str, *, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        return int(raw)
    except ValueError as error:
        raise ImproperlyConfigured(f"{name} must be a whole number; got {raw!r}") from error


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


# PostgreSQL: no parallel workers for one query. A web request is one of many short queries at
# once; parallel query made one directory search faster alone (45 ms instead of 70 ms) but, at
# 50 people on 2 cores, tripled its CPU: p95 over all pages 640 ms with it, 420 ms without
# (bench/load/RESULTS.md). A DATABASE_URL with its own `?options=` keeps those.
POSTGRESQL_SESSION_OPTIONS = "-c max_parallel_workers_per_gather=0"


def database_from_url(url: str) -> dict[str, Any]:
    """The default database's settings from a DATABASE_URL (kept connections, health checks;
    PostgreSQL sessions without parallel workers unless the URL says otherwise)."""
    import dj_database_url

    database: dict[str, Any] = dict(
        dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    )
    if database["ENGINE"] == "django.db.backends.postgresql":
        options = database.setdefault("OPTIONS", {})
        options.setdefault("options", POSTGRESQL_SESSION_OPTIONS)
    return database
