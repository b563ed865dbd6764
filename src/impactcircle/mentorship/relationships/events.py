"""Facts the relationship space announces through `core.events`, for higher layers
(recognition, insights) to count. They carry ids only — never notes or topics."""

from __future__ import annotations

from dataclasses import dataclass

from impactcircle.core.events import DomainEvent


@dataclass(frozen=True, kw_only=True)
class SessionConfirmed(DomainEvent):
    """A mentoring session became confirmed (its first confirmation by another member)."""

    session_id: int
    relationship_id: int
    programme_id: int
    member_ids: tuple[int, ...]


@dataclass(frozen=True, kw_only=True)
class RelationshipFinished(DomainEvent):
    """A relationship was completed (`ended_early` False) or ended early (True)."""

    relationship_id: int
    programme_id: int
    ended_early: bool
