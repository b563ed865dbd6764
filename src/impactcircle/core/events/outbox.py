"""Publishing: an event becomes an outbox row in the caller's transaction; once that transaction
commits, a dispatch task is enqueued for the events of each `publish` / `publish_many` call."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from django.db import transaction

from impactcircle.core.events.registry import DomainEvent, event_name_of, event_payload
from impactcircle.core.events.tasks import enqueue_dispatch
from impactcircle.core.models import OutboxEvent

logger = logging.getLogger(__name__)


def _dispatch_after_commit(event_ids: list[int]) -> None:
    """Queue one dispatch task for these events when the transaction commits.

    One per `publish` / `publish_many` call (not merged across calls: a callback registered
    earlier may belong to a part of the work that never commits, as in a test's transaction).
    Robust: a failed enqueue is logged and never turns the committed change into an error; the
    periodic job dispatches the event within a minute.
    """
    ids = list(event_ids)
    transaction.on_commit(lambda: enqueue_dispatch(ids), robust=True)


def publish(event: DomainEvent) -> int:
    """Store the event in the outbox, in the current transaction; its id.

    Call it inside the transaction that makes the change: if that rolls back, the event was
    never published. Subscribers run later, in the worker, never in the caller.
    """
    row = OutboxEvent.objects.create(
        name=event_name_of(event), payload=event_payload(event), occurred_at=event.occurred_at
    )
    _dispatch_after_commit([row.pk])
    return row.pk


def publish_many(events: Sequence[DomainEvent]) -> list[int]:
    """Store several events with one INSERT per 500; their ids, in order."""
    rows = OutboxEvent.objects.bulk_create(
        [
            OutboxEvent(
                name=event_name_of(event),
                payload=event_payload(event),
                occurred_at=event.occurred_at,
            )
            for event in events
        ],
        batch_size=500,
    )
    ids = [row.pk for row in rows]
    if ids:
        _dispatch_after_commit(ids)
    return ids
