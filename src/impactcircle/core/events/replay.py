"""Replaying stored events to one subscriber from a point in time (analytics back-fills)."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction

from impactcircle.core.events.delivery import reset_deliveries_for_replay
from impactcircle.core.events.tasks import enqueue_deliveries


def replay_events(*, subscriber: str, since: datetime) -> int:
    """Deliver again to `subscriber` every stored event it listens to that occurred at or after
    `since`, in a new delivery pass (fresh attempts); how many deliveries were queued.

    Handlers are idempotent, so events it had handled are safe to hand it again. Raises
    LookupError for a subscriber that is not registered.
    """
    with transaction.atomic():
        delivery_ids = reset_deliveries_for_replay(subscriber=subscriber, since=since)
        transaction.on_commit(lambda: enqueue_deliveries(delivery_ids))
    return len(delivery_ids)
