"""Facts the matching part announces through `core.events` (ids only)."""

from __future__ import annotations

from dataclasses import dataclass

from impactcircle.core.events import DomainEvent, register_event


@register_event("mentorship.matching_run_published")
@dataclass(frozen=True, kw_only=True)
class MatchingRunPublished(DomainEvent):
    """A programme manager published a draft run; each of its relationships also announces
    `mentorship.relationship_started`."""

    run_id: int
    programme_id: int
    published_by_id: int | None  # None: published by the system (the demo, a script)
    relationship_count: int
