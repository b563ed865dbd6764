"""The worker's side of the outbox: dispatch new events, deliver them, retry what is due.

`dispatch_events` is enqueued once per committed transaction that published; it creates the
deliveries and enqueues `deliver_events` in batches. `deliver_due_events` is a periodic job
(every minute, registered by core's AppConfig) that dispatches events whose dispatch task was lost
and enqueues the deliveries whose retry time has come.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import batched

from django.tasks import task
from django.utils import timezone

from impactcircle.core.events.delivery import (
    Outcome,
    create_deliveries,
    deliver,
    due_delivery_ids,
    purge_settled_events,
    undispatched_event_ids,
)
from impactcircle.core.tasks import BULK, BULK_PRIORITY

DELIVERY_BATCH = 100  # deliveries per task: several workers share a big batch of events
DISPATCH_BATCH = 500  # events per dispatch task (bounded query parameters)
SWEEP_LIMIT = 5_000  # events and deliveries one periodic run picks up


def enqueue_dispatch(event_ids: Sequence[int]) -> None:
    for chunk in batched(event_ids, DISPATCH_BATCH):
        dispatch_events.enqueue(event_ids=list(chunk))


def enqueue_deliveries(delivery_ids: Sequence[int]) -> None:
    for chunk in batched(delivery_ids, DELIVERY_BATCH):
        deliver_events.enqueue(delivery_ids=list(chunk))


@task(queue_name=BULK, priority=BULK_PRIORITY)
def dispatch_events(*, event_ids: list[int]) -> int:
    """Create the deliveries of these events and enqueue them; how many were due."""
    delivery_ids = create_deliveries(event_ids)
    enqueue_deliveries(delivery_ids)
    return len(delivery_ids)


@task(queue_name=BULK, priority=BULK_PRIORITY)
def deliver_events(*, delivery_ids: list[int]) -> dict[str, int]:
    """Deliver each in turn, each in its own transaction; counts by outcome."""
    counts = dict.fromkeys(Outcome, 0)
    for delivery_id in delivery_ids:
        counts[deliver(delivery_id)] += 1
    return {str(outcome): count for outcome, count in counts.items()}


@task(queue_name=BULK, priority=BULK_PRIORITY)
def deliver_due_events(*, scheduled_for: str = "") -> dict[str, int]:
    """Periodic: dispatch events left undispatched, enqueue deliveries due for an attempt."""
    event_ids = undispatched_event_ids(limit=SWEEP_LIMIT)
    delivery_ids = []
    for chunk in batched(event_ids, DISPATCH_BATCH):
        delivery_ids += create_deliveries(chunk)
    delivery_ids += due_delivery_ids(now=timezone.now(), limit=SWEEP_LIMIT)
    enqueue_deliveries(delivery_ids)
    return {"dispatched": len(event_ids), "enqueued": len(delivery_ids)}


@task(queue_name=BULK, priority=BULK_PRIORITY)
def purge_old_events(*, scheduled_for: str = "") -> int:
    """Daily: delete settled events older than the retention (two years); how many."""
    return purge_settled_events()
