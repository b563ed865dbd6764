from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.db import connection
from django.tasks import task

from impactcircle.core import schedule
from impactcircle.core.models import PeriodicJobState
from impactcircle.core.schedule import PeriodicJob, enqueue_due_jobs, register_periodic_job
from impactcircle.core.tasks import BULK, BULK_PRIORITY

pytestmark = pytest.mark.django_db

RUNS: list[str] = []


@task(queue_name=BULK, priority=BULK_PRIORITY)
def record_run(*, scheduled_for: str) -> None:
    RUNS.append(scheduled_for)


class UnqueueableTask:
    """Stands in for a task whose queue is broken."""

    def enqueue(self, **kwargs: Any) -> None:
        raise RuntimeError("the queue is down")


@pytest.fixture
def only_test_jobs(monkeypatch: pytest.MonkeyPatch) -> Any:
    """Replace the registry with an empty one, so the modules' own jobs stay out of these tests."""
    monkeypatch.setattr(schedule, "_jobs", {})
    RUNS.clear()
    yield
    RUNS.clear()


def _at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=UTC)  # 2026-11-23 is a Monday


def test_a_daily_job_is_enqueued_once_per_day_at_its_hour(only_test_jobs: None) -> None:
    register_periodic_job(PeriodicJob.daily("test.daily", record_run, hour=7))

    assert enqueue_due_jobs(_at(25, 7, 0)) == ["test.daily"]
    assert enqueue_due_jobs(_at(25, 7, 0)) == []
    assert enqueue_due_jobs(_at(25, 23, 59)) == []
    assert enqueue_due_jobs(_at(26, 6, 59)) == []
    assert enqueue_due_jobs(_at(26, 7, 1)) == ["test.daily"]

    assert RUNS == ["2026-11-25T07:00:00+00:00", "2026-11-26T07:00:00+00:00"]


def test_a_first_run_after_the_hour_catches_up_on_todays_moment_once(
    only_test_jobs: None,
) -> None:
    register_periodic_job(PeriodicJob.daily("test.daily", record_run, hour=7))

    enqueue_due_jobs(_at(25, 15))
    enqueue_due_jobs(_at(25, 15, 1))

    assert RUNS == ["2026-11-25T07:00:00+00:00"]


def test_a_weekly_job_runs_on_its_weekday_only(only_test_jobs: None) -> None:
    register_periodic_job(PeriodicJob.weekly("test.weekly", record_run, weekday=0, hour=7))

    enqueue_due_jobs(_at(25, 8))  # Wednesday: catches up on Monday the 23rd
    for day in (26, 27, 28, 29):
        enqueue_due_jobs(_at(day, 8))
    enqueue_due_jobs(_at(30, 7))  # the next Monday

    assert RUNS == ["2026-11-23T07:00:00+00:00", "2026-11-30T07:00:00+00:00"]


def test_an_interval_job_waits_for_its_interval(only_test_jobs: None) -> None:
    register_periodic_job(PeriodicJob.every("test.often", record_run, timedelta(minutes=10)))
    start = _at(25, 12)

    enqueue_due_jobs(start)
    enqueue_due_jobs(start + timedelta(minutes=9))
    enqueue_due_jobs(start + timedelta(minutes=10))

    assert len(RUNS) == 2


def test_a_moment_already_claimed_by_another_worker_is_not_enqueued_again(
    only_test_jobs: None,
) -> None:
    register_periodic_job(PeriodicJob.daily("test.daily", record_run, hour=7))
    # Another worker claimed today's moment a second ago.
    PeriodicJobState.objects.create(
        name="test.daily", last_slot=_at(25, 7), last_enqueued_at=_at(25, 7)
    )

    assert enqueue_due_jobs(_at(25, 7, 1)) == []
    assert RUNS == []


def test_a_failing_job_does_not_stop_the_others(
    only_test_jobs: None, caplog: pytest.LogCaptureFixture
) -> None:
    register_periodic_job(PeriodicJob.daily("test.a_broken", UnqueueableTask(), hour=7))
    register_periodic_job(PeriodicJob.daily("test.b_fine", record_run, hour=7))

    assert enqueue_due_jobs(_at(25, 8)) == ["test.b_fine"]
    assert "test.a_broken" in caplog.text
    # The broken job's claim rolled back with its failure, so it is tried again next beat.
    assert PeriodicJobState.objects.get(name="test.a_broken").last_slot is None


def test_a_job_needs_exactly_one_kind_of_timing() -> None:
    with pytest.raises(ValueError, match="either an interval or an hour"):
        PeriodicJob(name="x", task=record_run)
    with pytest.raises(ValueError, match="hour"):
        PeriodicJob.daily("x", record_run, hour=24)


def test_the_notification_digests_are_registered() -> None:
    names = {job.name for job in schedule.periodic_jobs()}

    assert "notifications.digests" in names


@pytest.mark.django_db(transaction=True)
def test_workers_racing_for_the_same_moment_enqueue_it_once(only_test_jobs: None) -> None:
    register_periodic_job(PeriodicJob.daily("test.daily", record_run, hour=7))
    start = threading.Barrier(4)
    errors: list[BaseException] = []

    def worker_heartbeat() -> None:
        try:
            start.wait()
            enqueue_due_jobs(_at(25, 7, 0))
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker_heartbeat) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert RUNS == ["2026-11-25T07:00:00+00:00"]
