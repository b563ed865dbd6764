from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.db import transaction

from impactcircle.core.events import DomainEvent, publish, publish_on_commit, subscribe, unsubscribe


@dataclass(frozen=True, kw_only=True)
class LessonPublished(DomainEvent):
    lesson_id: int


@dataclass(frozen=True, kw_only=True)
class FeaturedLessonPublished(LessonPublished):
    pass


@pytest.fixture
def received() -> Iterator[list[DomainEvent]]:
    seen: list[DomainEvent] = []

    def handler(event: LessonPublished) -> None:
        seen.append(event)

    subscribe(LessonPublished)(handler)
    yield seen
    unsubscribe(LessonPublished, handler)


def test_a_subscriber_receives_the_published_event(received: list[DomainEvent]) -> None:
    publish(LessonPublished(lesson_id=7))

    assert [event.lesson_id for event in received] == [7]  # type: ignore[attr-defined]


def test_subscribers_of_a_base_type_receive_subtypes(received: list[DomainEvent]) -> None:
    publish(FeaturedLessonPublished(lesson_id=3))

    assert len(received) == 1
    assert isinstance(received[0], FeaturedLessonPublished)


def test_unrelated_events_are_not_delivered(received: list[DomainEvent]) -> None:
    publish(DomainEvent())

    assert received == []


def test_subscribing_twice_delivers_once(received: list[DomainEvent]) -> None:
    def twice(event: LessonPublished) -> None:
        received.append(event)

    subscribe(LessonPublished)(twice)
    subscribe(LessonPublished)(twice)
    try:
        publish(LessonPublished(lesson_id=1))
    finally:
        unsubscribe(LessonPublished, twice)

    assert len(received) == 2  # the fixture's handler and `twice`, once each


@pytest.mark.django_db
def test_publish_on_commit_waits_for_the_commit(
    received: list[DomainEvent], django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        publish_on_commit(LessonPublished(lesson_id=5))
        assert received == []

    assert len(received) == 1


@pytest.mark.django_db
def test_publish_on_commit_never_delivers_after_a_rollback(
    received: list[DomainEvent], django_capture_on_commit_callbacks
) -> None:
    def failing_change() -> None:
        with transaction.atomic():
            publish_on_commit(LessonPublished(lesson_id=5))
            raise RuntimeError("the change failed")

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError, match="the change failed"),
    ):
        failing_change()

    assert callbacks == []
    assert received == []
