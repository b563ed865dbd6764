"""Publishing: an event becomes an outbox row in the caller's transaction; once that transaction
commits, one dispatch task is enqueued for all the events it published."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from django.db import transaction

from impactcircle.core.events.registry import DomainEvent, event_name_of, event_payload
from impactcircle.core.events.tasks import enqueue_dispatch
from impactcircle.core.models import OutboxEvent

logger = logging.getLogger(__name__)


class _DispatchAfterCommit:
    """The one on-commit callback of a transaction; every publish inside it adds its ids."""

    def __init__(self) -> None:
        self.event_ids: list[int] = []

    def __call__(self) -> None:
        enqueue_dispatch(self.event_ids)


def _dispatch_after_commit(event_ids: list[int]) -> None:
    connection = transaction.get_connection()
    if connection.in_atomic_block:
        # Django drops callbacks registered inside a savepoint that rolls back, so a callback
        # found here belongs to a part of the transaction that is still alive.
        for _savepoints, callback, _robust in connection.run_on_commit:
            if isinstance(callback, _DispatchAfterCommit):
                callback.event_ids += event_ids
                return
    callback = _DispatchAfterCommit()
    callback.event_ids += event_ids
    # Robust: a failed enqueue is logged, never turns the committed change into an error; the
    # periodic job dispatches the event within a minute.
    transaction.on_commit(callback, robust=True)


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
