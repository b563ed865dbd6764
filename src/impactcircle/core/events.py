"""A small typed in-process publish/subscribe for domain facts.

Lower layers publish what happened (`answer_accepted`, `session_logged`, …) as frozen
dataclasses; higher layers subscribe to the event types they care about. Nobody calls across
layers to announce a fact.

    @dataclass(frozen=True, kw_only=True)
    class LessonPublished(DomainEvent):
        lesson_id: int

    @subscribe(LessonPublished)
    def award_points(event: LessonPublished) -> None: ...

    publish_on_commit(LessonPublished(lesson_id=lesson.pk))
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.utils import timezone


@dataclass(frozen=True, kw_only=True)
class DomainEvent:
    """Base of every domain fact; subclasses add the ids that describe it."""

    occurred_at: datetime = field(default_factory=timezone.now)


type Handler[E: DomainEvent] = Callable[[E], None]

_handlers: defaultdict[type[DomainEvent], list[Callable[[DomainEvent], None]]] = defaultdict(list)


def subscribe[E: DomainEvent](event_type: type[E]) -> Callable[[Handler[E]], Handler[E]]:
    """Register the decorated function for `event_type` and its subclasses."""

    def register(handler: Handler[E]) -> Handler[E]:
        handlers = _handlers[event_type]
        if handler not in handlers:
            handlers.append(handler)  # type: ignore[arg-type]  # stored erased, called with E
        return handler

    return register


def unsubscribe[E: DomainEvent](event_type: type[E], handler: Handler[E]) -> None:
    handlers = _handlers[event_type]
    if handler in handlers:
        handlers.remove(handler)


def publish(event: DomainEvent) -> None:
    """Call every handler of the event's type and of its base types, now, in order.

    A handler's error propagates to the publisher, so a failure inside a transaction rolls the
    whole change back instead of leaving half of it.
    """
    for event_type in type(event).__mro__:
        if isinstance(event_type, type) and issubclass(event_type, DomainEvent):
            for handler in list(_handlers.get(event_type, ())):
                handler(event)


def publish_on_commit(event: DomainEvent) -> None:
    """Publish once the current transaction commits; never if it rolls back."""
    transaction.on_commit(lambda: publish(event))
