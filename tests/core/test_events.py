"""The durable event outbox: publishing in the caller's transaction, delivery per subscriber with
retries, exactly one handling per delivery, replay."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.utils import timezone

from impactcircle.accounts.models import User
from impactcircle.core.events import (
    DomainEvent,
    publish,
    publish_many,
    register_event,
    replay_events,
    subscribe,
    unsubscribe,
)
from impactcircle.core.events.delivery import (
    FIRST_ATTEMPT_GRACE,
    LEASE,
    MAX_ATTEMPTS,
    RETENTION,
    Outcome,
    create_deliveries,
    deliver,
    retry_delay,
)
from impactcircle.core.events.registry import event_from_payload
from impactcircle.core.models import EventDelivery, OutboxEvent, WorkerHeartbeat
from impactcircle.core.schedule import periodic_jobs

pytestmark = pytest.mark.django_db


@register_event("tests.lesson_published")
@dataclass(frozen=True, kw_only=True)
class LessonPublished(DomainEvent):
    lesson_id: int
    reader_ids: tuple[int, ...] = ()
    due_on: date | None = None


@register_event("tests.featured_lesson_published")
@dataclass(frozen=True, kw_only=True)
class FeaturedLessonPublished(LessonPublished):
    pass


@register_event("tests.course_completed")
@dataclass(frozen=True, kw_only=True)
class CourseCompleted(DomainEvent):
    course_id: int


class Clock:
    """The time `django.utils.timezone.now` answers while the fixture is active."""

    def __init__(self) -> None:
        self.now = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)

    def advance(self, delta: timedelta) -> None:
        self.now += delta


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr("django.utils.timezone.now", lambda: fake.now)
    return fake


@pytest.fixture
def subscriber() -> Iterator[Callable[..., list[DomainEvent]]]:
    """Register a subscriber for the test; it records what it handles, failing `fail` times
    first when asked."""
    names: list[str] = []

    def register(
        name: str, event_type: type[DomainEvent] = LessonPublished, *, fail: int = 0
    ) -> list[DomainEvent]:
        seen: list[DomainEvent] = []
        failures = [fail]

        def handler(event: DomainEvent) -> None:
            if failures[0]:
                failures[0] -= 1
                raise RuntimeError(f"{name} is down")
            seen.append(event)

        handler.__qualname__ = f"handler_{name}"  # one handler per subscriber name
        subscribe(event_type, name=name)(handler)
        names.append(name)
        return seen

    yield register
    for name in names:
        unsubscribe(name)


def run_due_retries() -> dict[str, int]:
    """What the worker does every minute: the periodic job core registers."""
    job = {job.name: job for job in periodic_jobs()}["core.deliver_due_events"]
    assert job.interval == timedelta(minutes=1)
    result = job.task.enqueue(scheduled_for="")
    return result.return_value  # type: ignore[no-any-return]  # the immediate backend ran it


def delivery_of(name: str) -> EventDelivery:
    return EventDelivery.objects.get(subscriber=name)


# --- Publishing --------------------------------------------------------------------------------


def test_an_event_is_stored_with_its_name_fields_and_moment() -> None:
    moment = datetime(2027, 1, 5, 8, 30, tzinfo=UTC)
    published = LessonPublished(
        lesson_id=7, reader_ids=(3, 4), due_on=date(2027, 2, 1), occurred_at=moment
    )

    row = OutboxEvent.objects.get(pk=publish(published))

    assert row.name == "tests.lesson_published"
    assert row.payload == {"lesson_id": 7, "reader_ids": [3, 4], "due_on": "2027-02-01"}
    assert row.occurred_at == moment
    assert event_from_payload(row.name, row.payload, row.occurred_at) == published


def test_publishing_inside_a_rolled_back_transaction_stores_nothing(
    django_capture_on_commit_callbacks: Any,
) -> None:
    def failing_change() -> None:
        with transaction.atomic():
            publish(LessonPublished(lesson_id=5))
            raise RuntimeError("the change failed")

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError, match="the change failed"),
    ):
        failing_change()

    assert callbacks == []
    assert not OutboxEvent.objects.exists()
    assert not EventDelivery.objects.exists()


def test_a_rolled_back_part_of_a_transaction_takes_only_its_own_events(
    subscriber: Callable[..., list[DomainEvent]], django_capture_on_commit_callbacks: Any
) -> None:
    seen = subscriber("tests.remember_lessons")

    def failing_part() -> None:
        with transaction.atomic():
            publish(LessonPublished(lesson_id=2))
            raise RuntimeError("this part failed")

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        publish(LessonPublished(lesson_id=1))
        with pytest.raises(RuntimeError, match="this part failed"):
            failing_part()
        publish(LessonPublished(lesson_id=3))

    assert sorted(event.lesson_id for event in seen) == [1, 3]  # type: ignore[attr-defined]


def test_one_dispatch_task_is_queued_per_publishing_call(
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        publish(LessonPublished(lesson_id=1))
        publish_many([LessonPublished(lesson_id=2), CourseCompleted(course_id=9)])

    assert len(callbacks) == 2  # publish_many's two events share one
    assert OutboxEvent.objects.count() == 3


def test_a_stored_event_reads_back_after_its_type_gained_and_lost_fields() -> None:
    moment = datetime(2026, 6, 1, tzinfo=UTC)
    stored = {"lesson_id": 3, "old_field_since_removed": "x"}  # no reader_ids, no due_on

    event = event_from_payload("tests.lesson_published", stored, moment)

    assert event == LessonPublished(lesson_id=3, occurred_at=moment)


def test_a_subscriber_of_a_base_type_receives_registered_subtypes(
    subscriber: Callable[..., list[DomainEvent]], django_capture_on_commit_callbacks: Any
) -> None:
    seen = subscriber("tests.every_lesson")

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        publish(FeaturedLessonPublished(lesson_id=8))
        publish(CourseCompleted(course_id=1))

    assert [type(event) for event in seen] == [FeaturedLessonPublished]


def test_an_unregistered_event_cannot_be_published() -> None:
    @dataclass(frozen=True, kw_only=True)
    class Unlisted(DomainEvent):
        thing_id: int

    with pytest.raises(TypeError, match="not registered"):
        publish(Unlisted(thing_id=1))


def test_events_carry_ids_not_objects() -> None:
    with pytest.raises(TypeError, match="ids and plain values"):

        @register_event("tests.user_seen")
        @dataclass(frozen=True, kw_only=True)
        class UserSeen(DomainEvent):
            user: User


def test_an_event_name_belongs_to_one_type() -> None:
    with pytest.raises(ValueError, match="already used"):

        @register_event("tests.lesson_published")
        @dataclass(frozen=True, kw_only=True)
        class OtherLesson(DomainEvent):
            lesson_id: int


def test_a_subscriber_name_belongs_to_one_handler(
    subscriber: Callable[..., list[DomainEvent]],
) -> None:
    subscriber("tests.count_lessons")

    def another(event: LessonPublished) -> None:
        pass

    with pytest.raises(ValueError, match="already used"):
        subscribe(LessonPublished, name="tests.count_lessons")(another)


# --- Delivery ----------------------------------------------------------------------------------


def test_subscribers_receive_the_event_after_the_commit(
    subscriber: Callable[..., list[DomainEvent]], django_capture_on_commit_callbacks: Any
) -> None:
    lessons = subscriber("tests.remember_lessons")
    courses = subscriber("tests.remember_courses", CourseCompleted)

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        publish(LessonPublished(lesson_id=4, reader_ids=(1, 2)))
        assert lessons == []

    assert [(event.lesson_id, event.reader_ids) for event in lessons] == [(4, (1, 2))]  # type: ignore[attr-defined]
    assert courses == []
    assert delivery_of("tests.remember_lessons").state == EventDelivery.State.HANDLED


def test_one_failing_subscriber_does_not_stop_another(
    subscriber: Callable[..., list[DomainEvent]],
    django_capture_on_commit_callbacks: Any,
    clock: Clock,
) -> None:
    broken = subscriber("tests.broken", fail=1)
    working = subscriber("tests.working")

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        publish(LessonPublished(lesson_id=1))

    assert (broken, len(working)) == ([], 1)
    failed = delivery_of("tests.broken")
    assert failed.state == EventDelivery.State.RETRYING
    assert failed.attempts == 1
    assert "RuntimeError: tests.broken is down" in failed.last_error
    assert failed.next_attempt_at == clock.now + timedelta(seconds=10)
    assert delivery_of("tests.working").handled_at == clock.now


def test_a_failing_subscriber_is_retried_by_the_periodic_job_until_it_succeeds(
    subscriber: Callable[..., list[DomainEvent]],
    django_capture_on_commit_callbacks: Any,
    clock: Clock,
) -> None:
    seen = subscriber("tests.flaky", fail=2)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        publish(LessonPublished(lesson_id=1))

    assert run_due_retries() == {"dispatched": 0, "enqueued": 0}  # not due for 10 s
    clock.advance(timedelta(seconds=10))
    run_due_retries()
    assert (delivery_of("tests.flaky").attempts, seen) == (2, [])
    clock.advance(timedelta(seconds=59))
    run_due_retries()
    assert seen == []  # the second wait is a minute
    clock.advance(timedelta(seconds=1))
    run_due_retries()

    assert len(seen) == 1
    delivery = delivery_of("tests.flaky")
    assert (delivery.attempts, delivery.last_error, delivery.handled_at) == (3, "", clock.now)
    clock.advance(timedelta(hours=1))
    assert run_due_retries() == {"dispatched": 0, "enqueued": 0}
    assert len(seen) == 1


def test_the_wait_between_attempts_grows_and_is_capped() -> None:
    waits = [retry_delay(attempt) for attempt in range(1, MAX_ATTEMPTS + 1)]

    assert waits[:3] == [timedelta(seconds=10), timedelta(minutes=1), timedelta(minutes=5)]
    assert waits == sorted(waits)
    assert waits[-1] == timedelta(hours=6)


def test_a_delivery_gives_up_after_the_last_attempt_and_keeps_the_error(
    subscriber: Callable[..., list[DomainEvent]], clock: Clock
) -> None:
    subscriber("tests.always_down", fail=MAX_ATTEMPTS + 5)
    publish(LessonPublished(lesson_id=1))  # its dispatch task is lost: the job dispatches it

    for _ in range(MAX_ATTEMPTS + 2):
        clock.advance(timedelta(hours=6))
        run_due_retries()

    delivery = delivery_of("tests.always_down")
    assert delivery.attempts == MAX_ATTEMPTS
    assert delivery.state == EventDelivery.State.GAVE_UP
    assert delivery.next_attempt_at is None
    assert "tests.always_down is down" in delivery.last_error


def test_the_handlers_writes_are_undone_when_it_fails(
    django_capture_on_commit_callbacks: Any,
) -> None:
    def half_done(event: LessonPublished) -> None:
        WorkerHeartbeat.objects.create(
            worker_id="written by the handler", seen_at=event.occurred_at
        )
        raise RuntimeError("failed after writing")

    subscribe(LessonPublished, name="tests.half_done")(half_done)
    try:
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            publish(LessonPublished(lesson_id=1))
    finally:
        unsubscribe("tests.half_done")

    assert not WorkerHeartbeat.objects.exists()
    assert delivery_of("tests.half_done").handled_at is None


def test_a_delivered_event_is_not_handled_twice(
    subscriber: Callable[..., list[DomainEvent]], django_capture_on_commit_callbacks: Any
) -> None:
    seen = subscriber("tests.count_once")
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        event_id = publish(LessonPublished(lesson_id=1))

    callbacks[0]()
    callbacks[0]()  # the dispatch task twice
    create_deliveries([event_id])
    delivery_id = delivery_of("tests.count_once").pk

    assert deliver(delivery_id) == Outcome.SKIPPED
    assert run_due_retries() == {"dispatched": 0, "enqueued": 0}
    assert len(seen) == 1
    assert EventDelivery.objects.count() == 1


def test_a_delivery_whose_worker_vanished_is_retried_after_its_lease(
    subscriber: Callable[..., list[DomainEvent]], clock: Clock
) -> None:
    seen = subscriber("tests.lease")
    with transaction.atomic():
        event_id = publish(LessonPublished(lesson_id=1))
    create_deliveries([event_id])
    # A worker claimed it and died before handling it.
    EventDelivery.objects.filter(subscriber="tests.lease").update(
        attempts=1, next_attempt_at=clock.now + LEASE
    )

    run_due_retries()
    assert seen == []
    clock.advance(LEASE)
    run_due_retries()

    assert len(seen) == 1
    assert delivery_of("tests.lease").attempts == 2


def test_a_first_attempt_whose_task_was_lost_is_picked_up_after_a_grace(
    subscriber: Callable[..., list[DomainEvent]], clock: Clock
) -> None:
    seen = subscriber("tests.lost_task")
    with transaction.atomic():
        event_id = publish(LessonPublished(lesson_id=1))
    create_deliveries([event_id])  # dispatched, but its delivery task never ran

    run_due_retries()
    assert seen == []  # its own task may still be queued: no twin yet
    clock.advance(FIRST_ATTEMPT_GRACE)
    run_due_retries()

    assert len(seen) == 1


@pytest.mark.django_db(transaction=True)
def test_two_workers_claiming_the_same_delivery_run_it_once() -> None:
    event_id = publish(LessonPublished(lesson_id=1))  # no subscriber yet: nothing delivered
    handled: list[int] = []
    started = threading.Event()

    def slow(event: LessonPublished) -> None:
        started.set()
        time.sleep(0.3)
        handled.append(event.lesson_id)

    subscribe(LessonPublished, name="tests.slow")(slow)
    delivery_id = EventDelivery.objects.create(
        event_id=event_id, subscriber="tests.slow", next_attempt_at=timezone.now()
    ).pk
    outcomes: list[Outcome] = []

    def worker() -> None:
        try:
            outcomes.append(deliver(delivery_id))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    try:
        threads[0].start()
        started.wait(5)  # the first worker is inside the handler
        threads[1].start()
        for thread in threads:
            thread.join(10)
    finally:
        unsubscribe("tests.slow")

    assert handled == [1]
    assert sorted(outcomes) == [Outcome.HANDLED, Outcome.SKIPPED]
    assert EventDelivery.objects.get(pk=delivery_id).attempts == 1


# --- Replay ------------------------------------------------------------------------------------


@pytest.fixture
def lessons_at(django_capture_on_commit_callbacks: Any) -> Callable[..., None]:
    """Publish and deliver one lesson on each of these days of January 2027."""

    def publish_days(*days: int) -> None:
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            for day in days:
                moment = datetime(2027, 1, day, tzinfo=UTC)
                publish(LessonPublished(lesson_id=day, occurred_at=moment))

    return publish_days


@pytest.fixture
def replay(django_capture_on_commit_callbacks: Any) -> Callable[..., int]:
    """Replay, then run the deliveries it queued (the worker's part)."""

    def replay_and_deliver(subscriber: str, since: datetime) -> int:
        with django_capture_on_commit_callbacks(execute=True):
            return replay_events(subscriber=subscriber, since=since)

    return replay_and_deliver


def test_replay_redelivers_the_events_since_a_moment(
    subscriber: Callable[..., list[DomainEvent]],
    lessons_at: Callable[..., None],
    replay: Callable[..., int],
) -> None:
    seen = subscriber("tests.analytics")
    lessons_at(1, 2, 3)
    assert len(seen) == 3
    seen.clear()

    queued = replay("tests.analytics", datetime(2027, 1, 2, tzinfo=UTC))

    assert queued == 2
    assert sorted(event.lesson_id for event in seen) == [2, 3]  # type: ignore[attr-defined]
    replayed = EventDelivery.objects.filter(replayed_at__isnull=False)
    assert replayed.count() == 2
    assert all(delivery.state == EventDelivery.State.HANDLED for delivery in replayed)


def test_replay_reaches_events_from_before_the_subscriber_existed(
    subscriber: Callable[..., list[DomainEvent]],
    lessons_at: Callable[..., None],
    replay: Callable[..., int],
) -> None:
    lessons_at(1, 2)
    seen = subscriber("tests.new_report")

    replay("tests.new_report", datetime(2027, 1, 1, tzinfo=UTC))

    assert sorted(event.lesson_id for event in seen) == [1, 2]  # type: ignore[attr-defined]


def test_replay_gives_an_abandoned_delivery_fresh_attempts(
    subscriber: Callable[..., list[DomainEvent]],
    lessons_at: Callable[..., None],
    replay: Callable[..., int],
) -> None:
    seen = subscriber("tests.fixed_later")
    lessons_at(1)
    EventDelivery.objects.update(
        handled_at=None, gave_up_at=datetime(2027, 1, 9, tzinfo=UTC), attempts=MAX_ATTEMPTS
    )
    seen.clear()

    replay("tests.fixed_later", datetime(2027, 1, 1, tzinfo=UTC))

    delivery = delivery_of("tests.fixed_later")
    assert (delivery.state, delivery.attempts, len(seen)) == (EventDelivery.State.HANDLED, 1, 1)


def test_the_replay_command_names_what_it_queued(
    subscriber: Callable[..., list[DomainEvent]],
    lessons_at: Callable[..., None],
    django_capture_on_commit_callbacks: Any,
    capsys: pytest.CaptureFixture[str],
) -> None:
    seen = subscriber("tests.command_report")
    lessons_at(1, 2, 3)
    seen.clear()

    with django_capture_on_commit_callbacks(execute=True):
        call_command(
            "replay_events", "--subscriber", "tests.command_report", "--since", "2027-01-03T00:00Z"
        )

    assert "1 event(s)" in capsys.readouterr().out
    assert [event.lesson_id for event in seen] == [3]  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--subscriber", "tests.nobody", "--since", "2027-01-01T00:00Z"], "No subscriber"),
        (["--subscriber", "tests.nobody", "--since", "last week"], "not an ISO 8601"),
        (["--subscriber", "tests.nobody", "--since", "2027-01-01T00:00"], "time zone"),
    ],
)
def test_the_replay_command_explains_bad_arguments(arguments: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        call_command("replay_events", *arguments)


# --- Retention ---------------------------------------------------------------------------------


def test_settled_events_older_than_the_retention_are_purged_daily(
    subscriber: Callable[..., list[DomainEvent]], lessons_at: Callable[..., None], clock: Clock
) -> None:
    subscriber("tests.settled")
    lessons_at(1, 2)  # January 2027, both handled
    subscriber("tests.still_waiting", fail=1)
    lessons_at(3)  # handled by one subscriber, waiting for a retry by the other
    clock.now = datetime(2027, 1, 1, 12, tzinfo=UTC) + RETENTION

    job = {job.name: job for job in periodic_jobs()}["core.purge_old_events"]
    purged = job.task.enqueue(scheduled_for="").return_value

    assert purged == 1  # day 2 is within the retention; day 3 still has a pending delivery
    assert sorted(OutboxEvent.objects.values_list("payload__lesson_id", flat=True)) == [2, 3]
    assert not EventDelivery.objects.filter(event__payload__lesson_id=1).exists()
