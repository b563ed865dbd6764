"""Typed domain events and their subscribers: the catalogue that `publish` and the worker read.

An event type is a frozen dataclass registered under a stable name (`mentorship.session_confirmed`);
the name, not the Python path, is what the outbox stores, so classes can move without losing
history. Fields carry ids and plain values only — `int`, `str`, `bool`, `float`, `date`,
`datetime`, tuples of those, each optionally `None` — never model instances, so an event reads
the same when it is delivered hours later or replayed months later.

A subscriber is a function registered under a stable name (`recognition.award_session_points`)
for an event type; deliveries are recorded per subscriber name.
"""

from __future__ import annotations

import re
import types
from collections.abc import Callable
from dataclasses import dataclass, field, fields, is_dataclass
from datetime import date, datetime
from typing import Any, ClassVar, Union, get_args, get_origin, get_type_hints

from django.utils import timezone

NAME_PATTERN = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")
PLAIN_TYPES: tuple[type, ...] = (int, str, bool, float, date, datetime)


@dataclass(frozen=True, kw_only=True)
class DomainEvent:
    """Base of every domain fact; subclasses add the ids and plain values that describe it."""

    occurred_at: datetime = field(default_factory=timezone.now)

    event_name: ClassVar[str] = ""


type Handler[E: DomainEvent] = Callable[[E], None]


@dataclass(frozen=True)
class Subscriber:
    name: str
    event_type: type[DomainEvent]
    handler: Callable[[Any], None]


_event_types: dict[str, type[DomainEvent]] = {}
_subscribers: dict[str, Subscriber] = {}


def _where(thing: object) -> str:
    return f"{getattr(thing, '__module__', '?')}.{getattr(thing, '__qualname__', '?')}"


def _check_name(name: str, what: str) -> None:
    if not NAME_PATTERN.match(name) or len(name) > 100:
        raise ValueError(
            f"{what} name {name!r} must be dotted lower-case words, e.g. 'module.fact_happened'."
        )


def _is_plain(annotation: Any) -> bool:
    origin = get_origin(annotation)
    if origin in (Union, types.UnionType):
        return all(arg is type(None) or _is_plain(arg) for arg in get_args(annotation))
    if origin is tuple:
        args = get_args(annotation)
        return len(args) == 2 and args[1] is Ellipsis and _is_plain(args[0])
    return annotation in PLAIN_TYPES


def register_event[E: DomainEvent](name: str) -> Callable[[type[E]], type[E]]:
    """Register a frozen dataclass event type under a stable name (`module.fact_happened`)."""
    _check_name(name, "Event")

    def register(event_type: type[E]) -> type[E]:
        if not (is_dataclass(event_type) and issubclass(event_type, DomainEvent)):
            raise TypeError(f"{event_type!r} must be a DomainEvent dataclass.")
        hints = get_type_hints(event_type)
        for event_field in fields(event_type):
            if event_field.name != "occurred_at" and not _is_plain(hints[event_field.name]):
                raise TypeError(
                    f"{_where(event_type)}.{event_field.name}: events carry ids and plain "
                    f"values, not {hints[event_field.name]!r}."
                )
        existing = _event_types.get(name)
        if existing is not None and _where(existing) != _where(event_type):
            raise ValueError(f"Event name {name!r} is already used by {_where(existing)}.")
        event_type.event_name = name
        _event_types[name] = event_type
        return event_type

    return register


def event_name_of(event: DomainEvent) -> str:
    name = type(event).__dict__.get("event_name", "")
    if not name:
        raise TypeError(
            f"{type(event).__name__} is not registered; decorate it with @register_event."
        )
    return str(name)


def registered_events() -> dict[str, type[DomainEvent]]:
    """Every registered event type by name (the catalogue docs/events.md lists)."""
    return dict(sorted(_event_types.items()))


def event_type_named(name: str) -> type[DomainEvent] | None:
    return _event_types.get(name)


def subscribe[E: DomainEvent](
    event_type: type[E], *, name: str
) -> Callable[[Handler[E]], Handler[E]]:
    """Register the decorated function, under `name`, for `event_type` and its subclasses.

    The worker calls it once per event (at least once: write it to be idempotent), in its own
    transaction, which also records that the event was handled.
    """
    _check_name(name, "Subscriber")
    if not event_type.__dict__.get("event_name"):
        raise TypeError(
            f"{event_type.__name__} is not registered; decorate it with @register_event."
        )

    def register(handler: Handler[E]) -> Handler[E]:
        existing = _subscribers.get(name)
        if existing is not None and _where(existing.handler) != _where(handler):
            raise ValueError(
                f"Subscriber name {name!r} is already used by {_where(existing.handler)}."
            )
        _subscribers[name] = Subscriber(name=name, event_type=event_type, handler=handler)
        return handler

    return register


def unsubscribe(name: str) -> None:
    """Forget a subscriber (tests); deliveries already recorded for it stay."""
    _subscribers.pop(name, None)


def subscribers_of(event_type: type[DomainEvent]) -> list[Subscriber]:
    """The subscribers an event of this type goes to, by name."""
    return sorted(
        (sub for sub in _subscribers.values() if issubclass(event_type, sub.event_type)),
        key=lambda sub: sub.name,
    )


def subscriber_named(name: str) -> Subscriber:
    try:
        return _subscribers[name]
    except KeyError:
        raise LookupError(f"No subscriber is registered as {name!r}.") from None


def event_payload(event: DomainEvent) -> dict[str, Any]:
    """The event's fields as JSON values (`occurred_at` is stored beside them)."""
    return {
        event_field.name: _to_json(getattr(event, event_field.name))
        for event_field in fields(event)
        if event_field.name != "occurred_at"
    }


def event_from_payload(name: str, payload: dict[str, Any], occurred_at: datetime) -> DomainEvent:
    """Rebuild a stored event; fields the type no longer has are ignored, new fields take their
    defaults."""
    event_type = _event_types.get(name)
    if event_type is None:
        raise LookupError(f"No event type is registered as {name!r}.")
    hints = get_type_hints(event_type)
    known = {event_field.name for event_field in fields(event_type)}
    values = {
        key: _from_json(hints[key], value)
        for key, value in payload.items()
        if key in known and key != "occurred_at"
    }
    return event_type(occurred_at=occurred_at, **values)


def _to_json(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [_to_json(item) for item in value]
    return value


def _from_json(annotation: Any, value: Any) -> Any:
    if value is None:
        return None
    origin = get_origin(annotation)
    if origin in (Union, types.UnionType):
        options = [arg for arg in get_args(annotation) if arg is not type(None)]
        return _from_json(options[0], value) if len(options) == 1 else value
    if origin is tuple:
        item_type = get_args(annotation)[0]
        return tuple(_from_json(item_type, item) for item in value)
    if annotation is datetime:
        return datetime.fromisoformat(value)
    if annotation is date:
        return date.fromisoformat(value)
    return value
