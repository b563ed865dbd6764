"""Database upkeep: statistics after bulk loads, daily clean-ups, the autovacuum deploy check."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from impactcircle.core import upkeep
from impactcircle.core.schedule import periodic_jobs
from impactcircle.core.tasks import INTERACTIVE, QUEUES

pytestmark = pytest.mark.django_db


def _statements(queries: CaptureQueriesContext) -> list[str]:
    return [query["sql"] for query in queries.captured_queries]


def test_statistics_are_refreshed_the_way_each_database_wants() -> None:
    with CaptureQueriesContext(connection) as queries:
        statement = upkeep.refresh_planner_statistics()

    expected = "ANALYZE" if connection.vendor == "postgresql" else "PRAGMA optimize=0x10002"
    assert statement == expected
    assert expected in _statements(queries)


def test_the_demo_build_ends_with_fresh_statistics() -> None:
    with CaptureQueriesContext(connection) as queries:
        call_command("demo", people=12, seed=5)
        built = len(queries.captured_queries)
        call_command("demo", people=12, seed=5)  # already built: nothing loaded, nothing to do

    first, second = _statements(queries)[:built], _statements(queries)[built:]
    expected = "ANALYZE" if connection.vendor == "postgresql" else "PRAGMA optimize=0x10002"
    assert first[-1] == expected
    assert expected not in second


def test_reindex_ends_with_fresh_statistics(capsys: pytest.CaptureFixture[str]) -> None:
    with CaptureQueriesContext(connection) as queries:
        call_command("reindex")

    expected = "ANALYZE" if connection.vendor == "postgresql" else "PRAGMA optimize=0x10002"
    assert _statements(queries)[-1] == expected


def test_the_daily_clean_ups_are_scheduled() -> None:
    jobs = {job.name: job for job in periodic_jobs()}

    assert jobs["core.prune_finished_task_results"].task == upkeep.prune_finished_task_results
    assert jobs["core.clear_expired_sessions"].task == upkeep.clear_expired_sessions
    assert jobs["core.prune_finished_task_results"].hour == 3


def test_expired_sessions_are_cleared_and_live_ones_kept() -> None:
    now = timezone.now()
    Session.objects.create(session_key="a" * 32, session_data="", expire_date=now - timedelta(1))
    Session.objects.create(session_key="b" * 32, session_data="", expire_date=now + timedelta(1))

    upkeep.clear_expired_sessions.call()

    assert list(Session.objects.values_list("session_key", flat=True)) == ["b" * 32]


@override_settings(
    TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": list(QUEUES)}}
)
def test_finished_task_results_older_than_two_weeks_are_pruned_on_every_queue() -> None:
    from django_tasks_db.models import DBTaskResult

    from impactcircle.core.tasks import send_email

    message = {"subject": "s", "body": "b", "to": ["a@example.com"], "from_email": None}
    old = send_email.enqueue(**message)  # the bulk queue
    old_interactive = send_email.using(queue_name=INTERACTIVE).enqueue(**message)
    recent = send_email.using(queue_name=INTERACTIVE).enqueue(**message)
    waiting = send_email.enqueue(**message)
    finished = timezone.now() - timedelta(days=15)
    DBTaskResult.objects.filter(id__in=[old.id, old_interactive.id]).update(
        status="SUCCESSFUL", finished_at=finished
    )
    DBTaskResult.objects.filter(id=recent.id).update(
        status="SUCCESSFUL", finished_at=timezone.now() - timedelta(days=1)
    )

    upkeep.prune_finished_task_results.call()

    left = {str(pk) for pk in DBTaskResult.objects.values_list("id", flat=True)}
    assert left == {recent.id, waiting.id}


class _Cursor:
    def __init__(self, value: str) -> None:
        self.value = value

    def __enter__(self) -> _Cursor:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def execute(self, sql: str) -> None:
        assert sql == "SHOW autovacuum"

    def fetchone(self) -> tuple[str]:
        return (self.value,)


class _PostgreSQL:
    vendor = "postgresql"

    def __init__(self, value: str) -> None:
        self.value = value

    def cursor(self) -> _Cursor:
        return _Cursor(self.value)


@pytest.mark.parametrize(("setting", "warned"), [("on", False), ("off", True)])
def test_the_deploy_check_warns_when_autovacuum_is_off(
    monkeypatch: pytest.MonkeyPatch, setting: str, warned: bool
) -> None:
    fake: dict[str, Any] = {"default": _PostgreSQL(setting)}
    monkeypatch.setattr(upkeep, "connections", fake)

    messages = upkeep.check_autovacuum()

    assert [message.id for message in messages] == (["core.W201"] if warned else [])


def test_the_deploy_check_reads_the_real_server() -> None:
    if connection.vendor != "postgresql":
        assert upkeep.check_autovacuum() == []  # SQLite has no autovacuum to check
        return
    with connection.cursor() as cursor:
        cursor.execute("SHOW autovacuum")
        (setting,) = cursor.fetchone()

    warned = [message.id for message in upkeep.check_autovacuum()] == ["core.W201"]

    assert warned == (setting == "off")
