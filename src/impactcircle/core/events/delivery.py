"""Delivering stored events to their subscribers, one (event, subscriber) row at a time.

A delivery is claimed with one conditional UPDATE (`WHERE handled_at IS NULL AND gave_up_at IS
NULL AND next_attempt_at <= now`) that counts the attempt and moves `next_attempt_at` a lease
ahead, committed before the handler runs: two workers never both run it, and a worker that dies
mid-handler has still spent an attempt. The handler then runs in its own transaction, which also
marks the delivery handled (again conditionally), so its writes and the mark commit together or
not at all. A failure records the error and the next attempt after a back-off; after
`MAX_ATTEMPTS` the delivery gives up and keeps the error for the admin.

Nothing here enqueues tasks; `core.events.tasks` does, calling these functions.
"""

from __future__ import annotations

import enum
import logging
import traceback
from collections.abc import Sequence
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from impactcircle.core.events.registry import (
    event_from_payload,
    event_type_named,
    registered_events,
    subscriber_named,
    subscribers_of,
)
from impactcircle.core.models import EventDelivery, OutboxEvent

logger = logging.getLogger(__name__)

# Waits after the 1st, 2nd, … failed attempt; the last one repeats until MAX_ATTEMPTS.
BACKOFF: tuple[timedelta, ...] = (
    timedelta(seconds=10),
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=6),
)
MAX_ATTEMPTS = 8  # about a day and a half of trying, then the admin decides
LEASE = timedelta(minutes=10)  # a claimed delivery is retried after this if its worker vanished
FIRST_ATTEMPT_GRACE = timedelta(minutes=2)  # a first attempt's own task gets this long to run
ERROR_MAX_LENGTH = 10_000
RETENTION = timedelta(days=730)  # replay reaches two years back; older settled events go


class Outcome(enum.StrEnum):
    HANDLED = "handled"
    FAILED = "failed"
    SKIPPED = "skipped"  # not due, already handled, given up, or claimed by another worker


def retry_delay(attempts: int) -> timedelta:
    """How long to wait after the `attempts`-th failed attempt (1-based)."""
    return BACKOFF[min(max(attempts, 1), len(BACKOFF)) - 1]


def create_deliveries(event_ids: Sequence[int], *, now: datetime | None = None) -> list[int]:
    """Dispatch: a delivery row for every subscriber of each undispatched event, then mark the
    events dispatched. Safe to run twice for the same events. Answers the due deliveries of
    these events (ids), to be delivered."""
    moment = now or timezone.now()
    with transaction.atomic():
        events = list(
            OutboxEvent.objects.filter(pk__in=event_ids, dispatched_at__isnull=True).only(
                "pk", "name"
            )
        )
        rows = []
        for event in events:
            event_type = event_type_named(event.name)
            if event_type is None:
                logger.warning("Event #%s has an unregistered type %r", event.pk, event.name)
                continue
            rows += [
                EventDelivery(event_id=event.pk, subscriber=sub.name, next_attempt_at=moment)
                for sub in subscribers_of(event_type)
            ]
        EventDelivery.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
        OutboxEvent.objects.filter(pk__in=[event.pk for event in events]).update(
            dispatched_at=moment
        )
    return list(
        EventDelivery.objects.filter(
            event_id__in=event_ids,
            handled_at__isnull=True,
            gave_up_at__isnull=True,
            next_attempt_at__lte=moment,
        ).values_list("pk", flat=True)
    )


class _HandledMeanwhile(Exception):
    """Another worker marked the delivery handled while this one ran it: undo our writes."""


def deliver(delivery_id: int, *, now: datetime | None = None) -> Outcome:
    """Run one delivery if it is due and nobody else holds it; never raises for a handler."""
    moment = now or timezone.now()
    with transaction.atomic():
        claimed = EventDelivery.objects.filter(
            pk=delivery_id,
            handled_at__isnull=True,
            gave_up_at__isnull=True,
            next_attempt_at__lte=moment,
        ).update(attempts=F("attempts") + 1, next_attempt_at=moment + LEASE)
    if not claimed:
        return Outcome.SKIPPED
    delivery = EventDelivery.objects.select_related("event").get(pk=delivery_id)
    try:
        with transaction.atomic():
            subscriber = subscriber_named(delivery.subscriber)
            event = delivery.event
            subscriber.handler(event_from_payload(event.name, event.payload, event.occurred_at))
            marked = EventDelivery.objects.filter(pk=delivery_id, handled_at__isnull=True).update(
                handled_at=timezone.now(), next_attempt_at=None, last_error=""
            )
            if not marked:
                raise _HandledMeanwhile
    except _HandledMeanwhile:
        return Outcome.SKIPPED
    except Exception:
        gives_up = delivery.attempts >= MAX_ATTEMPTS
        logger.exception(
            "Subscriber %s failed on event #%s (attempt %s%s)",
            delivery.subscriber,
            delivery.event_id,
            delivery.attempts,
            ", giving up" if gives_up else "",
        )
        EventDelivery.objects.filter(pk=delivery_id, handled_at__isnull=True).update(
            last_error=traceback.format_exc()[-ERROR_MAX_LENGTH:],
            next_attempt_at=None if gives_up else moment + retry_delay(delivery.attempts),
            gave_up_at=moment if gives_up else None,
        )
        return Outcome.FAILED
    return Outcome.HANDLED


def undispatched_event_ids(*, limit: int) -> list[int]:
    """Events whose dispatch task never ran (lost, or the enqueue failed), oldest first."""
    return list(
        OutboxEvent.objects.filter(dispatched_at__isnull=True)
        .order_by("published_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )


def due_delivery_ids(*, now: datetime, limit: int) -> list[int]:
    """Deliveries whose next attempt is due, oldest first: retries as soon as their wait is
    over; first attempts (fresh or replayed, already enqueued by whoever created them) only once
    `FIRST_ATTEMPT_GRACE` has passed without one, so a busy queue is not filled with twins."""
    return list(
        EventDelivery.objects.filter(
            handled_at__isnull=True, gave_up_at__isnull=True, next_attempt_at__lte=now
        )
        .filter(Q(attempts__gt=0) | Q(next_attempt_at__lte=now - FIRST_ATTEMPT_GRACE))
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )


def reset_deliveries_for_replay(
    *, subscriber: str, since: datetime, now: datetime | None = None
) -> list[int]:
    """A new delivery pass of every stored event since `since` (by `occurred_at`) that
    `subscriber` listens to: handled or abandoned deliveries are due again with fresh attempts,
    missing ones (events from before the subscriber existed) are created. Answers their ids."""
    moment = now or timezone.now()
    event_type = subscriber_named(subscriber).event_type
    names = [
        name
        for name, registered in registered_events().items()
        if issubclass(registered, event_type)
    ]
    events = OutboxEvent.objects.filter(name__in=names, occurred_at__gte=since)
    with transaction.atomic():
        EventDelivery.objects.filter(subscriber=subscriber, event__in=events).update(
            handled_at=None,
            gave_up_at=None,
            attempts=0,
            last_error="",
            next_attempt_at=moment,
            replayed_at=moment,
        )
        missing = events.exclude(deliveries__subscriber=subscriber).values_list("pk", flat=True)
        EventDelivery.objects.bulk_create(
            (
                EventDelivery(
                    event_id=event_id,
                    subscriber=subscriber,
                    next_attempt_at=moment,
                    replayed_at=moment,
                )
                for event_id in missing.iterator()
            ),
            ignore_conflicts=True,
            batch_size=500,
        )
        return list(
            EventDelivery.objects.filter(subscriber=subscriber, event__in=events)
            .order_by("event_id")
            .values_list("pk", flat=True)
        )


def purge_settled_events(*, now: datetime | None = None, keep: timedelta = RETENTION) -> int:
    """Delete events that occurred more than `keep` ago and that no subscriber still waits for
    (every delivery handled or given up), with their deliveries; how many events went."""
    moment = now or timezone.now()
    waiting = EventDelivery.objects.filter(handled_at__isnull=True, gave_up_at__isnull=True)
    old = (
        OutboxEvent.objects.filter(occurred_at__lt=moment - keep, dispatched_at__isnull=False)
        .exclude(pk__in=waiting.values("event_id"))
        .values_list("pk", flat=True)
    )
    purged = 0
    while batch := list(old[:1000]):
        with transaction.atomic():
            EventDelivery.objects.filter(event_id__in=batch).delete()
            purged += (
                OutboxEvent.objects.filter(pk__in=batch).delete()[1].get(OutboxEvent._meta.label, 0)
            )
    return purged
