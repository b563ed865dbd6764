"""Periodic jobs: a small scheduler on top of `django.tasks`, which has none of its own.

Modules register jobs in their AppConfig.ready():

    register_periodic_job(PeriodicJob.daily("mentorship.keep_pairs_alive", keep_alive, hour=6))

Every task worker calls `enqueue_due_jobs()` on each heartbeat (every 15 s). A job's moment is
claimed with one conditional UPDATE of its `core.PeriodicJobState` row (`WHERE last_slot IS NULL
OR last_slot < :slot`), in the same transaction as the enqueue, so among several workers exactly
one enqueues each moment. Times are UTC. A moment missed while no worker ran is enqueued once when
a worker comes back (never once per missed moment).

The job's task is enqueued with one keyword argument, `scheduled_for`: the ISO 8601 UTC moment it
stands for, so the task can tell which day or week it is for even when it runs late.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.tasks import Task
from django.utils import timezone

from impactcircle.core.models import PeriodicJobState

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PeriodicJob:
    """A task to enqueue every `interval`, or daily / weekly at `hour` o'clock UTC."""

    name: str
    task: Task[..., Any]
    interval: timedelta | None = None
    hour: int | None = None
    weekday: int | None = None  # 0 = Monday, as datetime.weekday(); only for weekly jobs

    def __post_init__(self) -> None:
        if (self.interval is None) == (self.hour is None):
            raise ValueError(f"Job {self.name!r} needs either an interval or an hour.")
        if self.interval is not None and self.interval <= timedelta(0):
            raise ValueError(f"Job {self.name!r} needs a positive interval.")
        if self.hour is not None and not 0 <= self.hour <= 23:
            raise ValueError(f"Job {self.name!r}: hour must be 0–23.")
        if self.weekday is not None and (self.hour is None or not 0 <= self.weekday <= 6):
            raise ValueError(f"Job {self.name!r}: a weekday (0–6) needs an hour.")

    @classmethod
    def every(cls, name: str, task: Task[..., Any], interval: timedelta) -> PeriodicJob:
        return cls(name=name, task=task, interval=interval)

    @classmethod
    def daily(cls, name: str, task: Task[..., Any], *, hour: int) -> PeriodicJob:
        return cls(name=name, task=task, hour=hour)

    @classmethod
    def weekly(cls, name: str, task: Task[..., Any], *, weekday: int, hour: int) -> PeriodicJob:
        return cls(name=name, task=task, hour=hour, weekday=weekday)

    def latest_slot(self, now: datetime) -> datetime:
        """The most recent moment at or before `now` when the job should have been enqueued."""
        if self.interval is not None:
            return now
        assert self.hour is not None  # guaranteed by __post_init__
        now_utc = now.astimezone(UTC)
        slot = now_utc.replace(hour=self.hour, minute=0, second=0, microsecond=0)
        if slot > now_utc:
            slot -= timedelta(days=1)
        if self.weekday is not None:
            slot -= timedelta(days=(slot.weekday() - self.weekday) % 7)
        return slot

    def _unclaimed(self, slot: datetime) -> Q:
        if self.interval is not None:
            return Q(last_slot__isnull=True) | Q(last_slot__lte=slot - self.interval)
        return Q(last_slot__isnull=True) | Q(last_slot__lt=slot)


_jobs: dict[str, PeriodicJob] = {}


def register_periodic_job(job: PeriodicJob) -> None:
    """Add a job; registering the same name again replaces it (ready() may run twice)."""
    _jobs[job.name] = job


def periodic_jobs() -> list[PeriodicJob]:
    return sorted(_jobs.values(), key=lambda job: job.name)


def _claim_and_enqueue(job: PeriodicJob, now: datetime) -> bool:
    slot = job.latest_slot(now)
    PeriodicJobState.objects.get_or_create(name=job.name)
    with transaction.atomic():
        claimed = (
            PeriodicJobState.objects.filter(name=job.name)
            .filter(job._unclaimed(slot))
            .update(last_slot=slot, last_enqueued_at=now)
        )
        if claimed:
            # Same transaction as the claim: with the database task backend the queued task and
            # the claim commit together or not at all.
            job.task.enqueue(scheduled_for=slot.isoformat())
    return bool(claimed)


def enqueue_due_jobs(now: datetime | None = None) -> list[str]:
    """Enqueue every job whose moment has come and that no worker has claimed; their names.

    One failing job is logged and does not stop the others.
    """
    moment = now or timezone.now()
    enqueued = []
    for job in periodic_jobs():
        try:
            if _claim_and_enqueue(job, moment):
                enqueued.append(job.name)
        except Exception:  # a broken job must not stop the heartbeat or the other jobs
            logger.exception("Could not enqueue the periodic job %s", job.name)
    return enqueued
