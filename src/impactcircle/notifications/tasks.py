"""Digest tasks. The scheduler (core.schedule) runs `send_due_digests` every 15 minutes; it
queues one `send_digest` task per person whose local time is 07:00–07:59 (weekly digests: on a
Monday), so many workers share the sending and everyone hears at seven in their own morning.

Local time comes from `notifications.time_zones` (a source the `people` app registers); without
one, or for a person with no zone, it is UTC. A digest whose hour passed while no worker ran is
skipped; the next one still holds the unread notices (see selectors.DIGEST_LOOKBACK).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.tasks import task

from impactcircle.core.tasks import BULK, BULK_PRIORITY, enqueue_on_commit
from impactcircle.notifications.models import DigestDelivery
from impactcircle.notifications.selectors import DIGEST_LOOKBACK, digest_recipient_ids
from impactcircle.notifications.services import digest_period, digest_send
from impactcircle.notifications.time_zones import time_zones_for

DIGEST_HOUR = 7  # local time
WEEKLY_DIGEST_WEEKDAY = 0  # Monday
DIGEST_CHECK_INTERVAL = timedelta(minutes=15)


def _enqueue_digests(frequency: DigestDelivery.Frequency, moment: datetime) -> int:
    recipients = digest_recipient_ids(
        frequency=frequency, since=moment - DIGEST_LOOKBACK[frequency], until=moment
    )
    zones = time_zones_for(recipients)
    queued = 0
    for user_id in recipients:
        local = moment.astimezone(zones[user_id])
        if local.hour != DIGEST_HOUR:
            continue
        if (
            frequency == DigestDelivery.Frequency.WEEKLY
            and local.weekday() != WEEKLY_DIGEST_WEEKDAY
        ):
            continue
        enqueue_on_commit(
            send_digest, user_id=user_id, frequency=frequency.value,
            period=digest_period(frequency=frequency, moment=local), until=moment.isoformat(),
        )  # fmt: skip
        queued += 1
    return queued


@task(queue_name=BULK, priority=BULK_PRIORITY)
def send_due_digests(*, scheduled_for: str) -> dict[str, int]:
    """Queue the daily and weekly digests of everyone for whom it is now seven in the morning."""
    moment = datetime.fromisoformat(scheduled_for)
    return {
        frequency.value: _enqueue_digests(frequency, moment)
        for frequency in DigestDelivery.Frequency
    }


@task(queue_name=BULK, priority=BULK_PRIORITY)
def send_digest(*, user_id: int, frequency: str, period: str, until: str) -> int | None:
    """Send one person's digest; the id of the DigestDelivery, or None when nothing was sent."""
    delivery = digest_send(
        user_id=user_id, frequency=frequency, period=period, now=datetime.fromisoformat(until)
    )
    return delivery.pk if delivery is not None else None
