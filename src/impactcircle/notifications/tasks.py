"""Digest tasks. The scheduler (core.schedule) enqueues the daily and weekly ones at
DIGEST_HOUR_UTC o'clock UTC; each enqueues one small task per person, so many workers share them.

People's own time zones arrive with their profiles (people.Profile); until then every digest
goes out at 07:00 UTC (weekly ones on Mondays).
"""

from __future__ import annotations

from datetime import datetime

from django.tasks import task

from impactcircle.core.tasks import enqueue_on_commit
from impactcircle.notifications.models import DigestDelivery
from impactcircle.notifications.selectors import DIGEST_LOOKBACK, digest_recipient_ids
from impactcircle.notifications.services import digest_period, digest_send

DIGEST_HOUR_UTC = 7
WEEKLY_DIGEST_WEEKDAY = 0  # Monday


def _enqueue_digests(frequency: DigestDelivery.Frequency, scheduled_for: str) -> int:
    moment = datetime.fromisoformat(scheduled_for)
    period = digest_period(frequency=frequency, moment=moment)
    recipients = digest_recipient_ids(
        frequency=frequency, since=moment - DIGEST_LOOKBACK[frequency], until=moment
    )
    for user_id in recipients:
        enqueue_on_commit(
            send_digest, user_id=user_id, frequency=frequency.value, period=period,
            until=scheduled_for,
        )  # fmt: skip
    return len(recipients)


@task()
def send_daily_digests(*, scheduled_for: str) -> int:
    """Queue a digest for everyone with unread notices of categories they get daily."""
    return _enqueue_digests(DigestDelivery.Frequency.DAILY, scheduled_for)


@task()
def send_weekly_digests(*, scheduled_for: str) -> int:
    """Queue a digest for everyone with unread notices of categories they get weekly."""
    return _enqueue_digests(DigestDelivery.Frequency.WEEKLY, scheduled_for)


@task()
def send_digest(*, user_id: int, frequency: str, period: str, until: str) -> int | None:
    """Send one person's digest; the id of the DigestDelivery, or None when nothing was sent."""
    delivery = digest_send(
        user_id=user_id, frequency=frequency, period=period, now=datetime.fromisoformat(until)
    )
    return delivery.pk if delivery is not None else None
