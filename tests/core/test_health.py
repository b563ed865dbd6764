from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import OperationalError, connection
from django.test import Client
from django.utils import timezone

from impactcircle.core.health import record_heartbeat
from impactcircle.core.models import WorkerHeartbeat

pytestmark = pytest.mark.django_db


def test_healthz_is_200_with_every_part_named(client: Client) -> None:
    record_heartbeat("host:worker-1")

    response = client.get("/healthz")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    assert body["cache"] == "ok"
    assert body["worker"]["status"] == "ok"
    assert body["worker"]["last_heartbeat"] is not None


def test_a_stale_worker_is_reported_but_the_site_still_serves(client: Client) -> None:
    WorkerHeartbeat.objects.create(worker_id="old", seen_at=timezone.now() - timedelta(hours=1))

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json()["worker"]["status"] == "stale"


def test_no_worker_ever_is_reported(client: Client) -> None:
    assert client.get("/healthz").json()["worker"] == {
        "status": "never seen",
        "last_heartbeat": None,
    }


def test_healthz_is_503_when_the_database_is_unreachable(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise OperationalError("could not connect to server: Connection refused")

    monkeypatch.setattr(connection, "ensure_connection", refuse)

    response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["database"] == "error: OperationalError"
    assert body["worker"]["status"] == "unknown"
