"""Durable domain events: a transactional outbox with per-subscriber deliveries.

Lower layers publish what happened as typed frozen dataclasses registered under a stable name;
higher layers subscribe by name. `publish` writes the event in the caller's transaction (a
rolled-back change publishes nothing); after commit the worker delivers it to each subscriber in
its own transaction, with retries and back-off, recording per subscriber that it was handled.
Delivery is at least once and unordered: handlers are idempotent. See docs/events.md.

    @register_event("knowledge.lesson_published")
    @dataclass(frozen=True, kw_only=True)
    class LessonPublished(DomainEvent):
        lesson_id: int

    @subscribe(LessonPublished, name="recognition.award_lesson_points")
    def award_points(event: LessonPublished) -> None: ...

    publish(LessonPublished(lesson_id=lesson.pk))  # inside the service's transaction
"""

from impactcircle.core.events.outbox import publish, publish_many
from impactcircle.core.events.registry import (
    DomainEvent,
    Handler,
    Subscriber,
    register_event,
    registered_events,
    subscribe,
    subscribers_of,
    unsubscribe,
)
from impactcircle.core.events.replay import replay_events

__all__ = [
    "DomainEvent",
    "Handler",
    "Subscriber",
    "publish",
    "publish_many",
    "register_event",
    "registered_events",
    "replay_events",
    "subscribe",
    "subscribers_of",
    "unsubscribe",
]
