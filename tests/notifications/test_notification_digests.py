from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone
from tests.factories import NotificationFactory, UserFactory

from impactcircle.accounts.models import User
from impactcircle.core.schedule import enqueue_due_jobs
from impactcircle.notifications import time_zones
from impactcircle.notifications.models import DigestDelivery, Notification
from impactcircle.notifications.services import (
    digest_period,
    digest_send,
    notify,
    preference_set,
)
from impactcircle.notifications.tasks import send_due_digests

pytestmark = pytest.mark.django_db


@pytest.fixture
def soon() -> datetime:
    """A digest moment just after the notifications the test creates."""
    return timezone.now() + timedelta(minutes=1)


@pytest.fixture
def daily_user(user: User) -> User:
    preference_set(user=user, category="people", delivery="daily")
    return user


def _send_daily(user: User, moment: datetime) -> DigestDelivery | None:
    period = digest_period(frequency="daily", moment=moment)
    return digest_send(user_id=user.pk, frequency="daily", period=period, now=moment)


def test_a_daily_digest_holds_only_the_unread_notifications(
    daily_user: User, soon: datetime, django_capture_on_commit_callbacks
) -> None:
    NotificationFactory(recipient=daily_user, category="people", message="Still unread")
    NotificationFactory(
        recipient=daily_user, category="people", message="Already read", read_at=timezone.now()
    )

    with django_capture_on_commit_callbacks(execute=True):
        delivery = _send_daily(daily_user, soon)

    assert delivery is not None
    assert delivery.notification_count == 1
    [message] = mail.outbox
    assert message.to == ["ana@example.com"]
    assert message.subject == "[ImpactCircle] Your daily digest: 1 unread notification"
    assert "Still unread" in message.body
    assert "Already read" not in message.body
    assert "/notifications/unsubscribe/" in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_no_digest_is_sent_when_nothing_is_unread(
    daily_user: User, soon: datetime, django_capture_on_commit_callbacks
) -> None:
    NotificationFactory(recipient=daily_user, category="people", read_at=timezone.now())

    with django_capture_on_commit_callbacks(execute=True):
        delivery = _send_daily(daily_user, soon)

    assert delivery is None
    assert mail.outbox == []
    assert not DigestDelivery.objects.exists()


def test_a_digest_is_sent_only_once_per_period(
    daily_user: User, soon: datetime, django_capture_on_commit_callbacks
) -> None:
    NotificationFactory(recipient=daily_user, category="people")

    with django_capture_on_commit_callbacks(execute=True):
        first = _send_daily(daily_user, soon)
        second = _send_daily(daily_user, soon)

    assert first is not None
    assert second is None
    assert len(mail.outbox) == 1


def test_a_period_already_recorded_by_another_worker_sends_nothing(
    daily_user: User, soon: datetime, django_capture_on_commit_callbacks
) -> None:
    NotificationFactory(recipient=daily_user, category="people")
    DigestDelivery.objects.create(
        user=daily_user, frequency="daily", period=digest_period(frequency="daily", moment=soon),
        covered_until=soon - timedelta(hours=1), notification_count=1,
    )  # fmt: skip

    with django_capture_on_commit_callbacks(execute=True):
        delivery = _send_daily(daily_user, soon)

    assert delivery is None
    assert mail.outbox == []
    assert Notification.objects.get().emailed_at is None


def test_the_next_digest_holds_only_what_arrived_since_the_last(
    daily_user: User, soon: datetime, django_capture_on_commit_callbacks
) -> None:
    NotificationFactory(recipient=daily_user, category="people", message="Monday's news")
    with django_capture_on_commit_callbacks(execute=True):
        _send_daily(daily_user, soon)
    later = NotificationFactory(recipient=daily_user, category="people", message="Tuesday's news")
    Notification.objects.filter(pk=later.pk).update(created_at=soon + timedelta(hours=3))

    with django_capture_on_commit_callbacks(execute=True):
        _send_daily(daily_user, soon + timedelta(days=1))

    assert len(mail.outbox) == 2
    assert "Tuesday's news" in mail.outbox[1].body
    assert "Monday's news" not in mail.outbox[1].body


def test_only_categories_chosen_for_the_digest_are_included(
    daily_user: User, soon: datetime, django_capture_on_commit_callbacks
) -> None:
    preference_set(user=daily_user, category="account", delivery="off")
    NotificationFactory(recipient=daily_user, category="people", message="Role news")
    NotificationFactory(recipient=daily_user, category="account", message="Token news")

    with django_capture_on_commit_callbacks(execute=True):
        _send_daily(daily_user, soon)

    assert "Role news" in mail.outbox[0].body
    assert "Token news" not in mail.outbox[0].body


def test_a_notification_already_emailed_straight_away_is_not_in_the_digest(
    user: User, soon: datetime, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipient=user, category="people", message="Sent at once", link="/")
    preference_set(user=user, category="people", delivery="daily")

    with django_capture_on_commit_callbacks(execute=True):
        delivery = _send_daily(user, soon)

    assert delivery is None
    assert len(mail.outbox) == 1


def test_a_weekly_person_gets_nothing_from_the_daily_digest(
    user: User, soon: datetime, django_capture_on_commit_callbacks
) -> None:
    preference_set(user=user, category="people", delivery="weekly")
    NotificationFactory(recipient=user, category="people")

    with django_capture_on_commit_callbacks(execute=True):
        daily = _send_daily(user, soon)
        weekly = digest_send(
            user_id=user.pk, frequency="weekly",
            period=digest_period(frequency="weekly", moment=soon), now=soon,
        )  # fmt: skip

    assert daily is None
    assert weekly is not None
    assert weekly.period == digest_period(frequency="weekly", moment=soon)
    assert mail.outbox[0].subject == "[ImpactCircle] Your weekly digest: 1 unread notification"


def _next_utc(hour: int) -> datetime:
    """The next moment, after the notifications made now, when the UTC clock shows hour:05."""
    now = timezone.now().astimezone(UTC)
    moment = now.replace(hour=hour, minute=5, second=0, microsecond=0)
    return moment if moment > now else moment + timedelta(days=1)


@pytest.fixture
def time_zones_from(monkeypatch: pytest.MonkeyPatch) -> Any:
    """Stand in for the people app's time-zone source."""

    monkeypatch.setattr(time_zones, "_sources", [])  # restored after the test

    def use(zones: dict[int, str]) -> None:
        time_zones.register_time_zone_source(
            lambda user_ids: {pk: zone for pk, zone in zones.items() if pk in user_ids}
        )

    return use


def test_the_digest_job_sends_one_digest_to_each_daily_person_at_seven(
    daily_user: User, other_user: User, django_capture_on_commit_callbacks
) -> None:
    NotificationFactory.create_batch(2, recipient=daily_user, category="people")
    NotificationFactory(recipient=other_user, category="people")  # immediate person: no digest
    weekly_person = UserFactory()
    preference_set(user=weekly_person, category="people", delivery="weekly")
    NotificationFactory(recipient=weekly_person, category="people")
    seven = _next_utc(7)

    with django_capture_on_commit_callbacks(execute=True):
        queued = send_due_digests.call(scheduled_for=seven.isoformat())

    assert queued["daily"] == 1
    assert [message.to for message in mail.outbox] == [["ana@example.com"]]
    assert "2 unread notifications" in mail.outbox[0].subject


def test_no_digest_goes_out_outside_the_persons_seven_oclock_hour(
    daily_user: User, django_capture_on_commit_callbacks
) -> None:
    NotificationFactory(recipient=daily_user, category="people")

    with django_capture_on_commit_callbacks(execute=True):
        queued = send_due_digests.call(scheduled_for=_next_utc(8).isoformat())

    assert queued == {"daily": 0, "weekly": 0}
    assert mail.outbox == []


def test_digests_follow_the_persons_own_time_zone(
    daily_user: User, time_zones_from: Any, django_capture_on_commit_callbacks
) -> None:
    time_zones_from({daily_user.pk: "Asia/Tokyo"})  # UTC+9, no daylight saving
    NotificationFactory(recipient=daily_user, category="people")

    with django_capture_on_commit_callbacks(execute=True):
        at_seven_utc = send_due_digests.call(scheduled_for=_next_utc(7).isoformat())
        at_seven_in_tokyo = send_due_digests.call(scheduled_for=_next_utc(22).isoformat())

    assert at_seven_utc["daily"] == 0
    assert at_seven_in_tokyo["daily"] == 1
    tokyo_day = _next_utc(22).astimezone(ZoneInfo("Asia/Tokyo")).date().isoformat()
    assert DigestDelivery.objects.get().period == tokyo_day
    assert len(mail.outbox) == 1


def test_an_unknown_time_zone_falls_back_to_utc(
    daily_user: User, time_zones_from: Any, django_capture_on_commit_callbacks
) -> None:
    time_zones_from({daily_user.pk: "Mars/Olympus_Mons"})
    NotificationFactory(recipient=daily_user, category="people")

    with django_capture_on_commit_callbacks(execute=True):
        queued = send_due_digests.call(scheduled_for=_next_utc(7).isoformat())

    assert queued["daily"] == 1


def test_a_weekly_digest_goes_out_on_monday_mornings_only(
    user: User, django_capture_on_commit_callbacks
) -> None:
    preference_set(user=user, category="people", delivery="weekly")
    NotificationFactory(recipient=user, category="people")
    seven = _next_utc(7)
    monday = seven + timedelta(days=(0 - seven.weekday()) % 7)
    other_day = seven if seven.weekday() != 0 else seven + timedelta(days=1)

    with django_capture_on_commit_callbacks(execute=True):
        on_other_day = send_due_digests.call(scheduled_for=other_day.isoformat())
        on_monday = send_due_digests.call(scheduled_for=monday.isoformat())

    assert on_other_day["weekly"] == 0
    assert on_monday["weekly"] == 1
    assert mail.outbox[0].subject == "[ImpactCircle] Your weekly digest: 1 unread notification"


def test_the_scheduler_sends_the_daily_digest_once_in_the_seven_oclock_hour(
    daily_user: User, django_capture_on_commit_callbacks
) -> None:
    NotificationFactory(recipient=daily_user, category="people", message="Overnight news")
    seven = _next_utc(7)

    with django_capture_on_commit_callbacks(execute=True):
        enqueue_due_jobs(seven)
        enqueue_due_jobs(seven + timedelta(seconds=15))  # the next heartbeat, or another worker
        enqueue_due_jobs(seven + timedelta(minutes=20))  # the next check in the same hour

    digests = [message for message in mail.outbox if "digest" in message.subject]
    assert len(digests) == 1
    assert "Overnight news" in digests[0].body
    assert DigestDelivery.objects.get().period == seven.date().isoformat()


def test_digest_periods_name_the_utc_day_and_iso_week() -> None:
    moment = datetime(2026, 11, 25, 7, 0, tzinfo=UTC)

    assert digest_period(frequency="daily", moment=moment) == "2026-11-25"
    assert digest_period(frequency="weekly", moment=moment) == "2026-W48"
    late_sunday_in_utc = datetime(2026, 11, 29, 23, 0, tzinfo=UTC)
    in_tokyo = late_sunday_in_utc.astimezone(ZoneInfo("Asia/Tokyo"))  # already Monday there
    assert digest_period(frequency="daily", moment=in_tokyo) == "2026-11-30"
    assert digest_period(frequency="weekly", moment=in_tokyo) == "2026-W49"


@pytest.mark.django_db(transaction=True)
def test_workers_racing_to_send_the_same_digest_send_it_once() -> None:
    person = UserFactory(email="racer@example.com")
    preference_set(user=person, category="people", delivery="daily")
    NotificationFactory.create_batch(3, recipient=person, category="people")
    moment = timezone.now() + timedelta(minutes=1)
    start = threading.Barrier(4)
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            start.wait()
            _send_daily(person, moment)
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert DigestDelivery.objects.filter(user=person).count() == 1
    assert [message.to for message in mail.outbox] == [["racer@example.com"]]


def test_time_zones_are_looked_up_a_thousand_people_at_a_time(time_zones_from: Any) -> None:
    calls: list[int] = []

    def source(user_ids: Any) -> dict[int, str]:
        calls.append(len(user_ids))
        return dict.fromkeys(user_ids, "Europe/Paris")

    time_zones.register_time_zone_source(source)

    zones = time_zones.time_zones_for(range(2500))

    assert calls == [1000, 1000, 500]
    assert str(zones[2499]) == "Europe/Paris"
