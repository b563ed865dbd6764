"""Facts the relationship space announces through `core.events`, for higher layers
(recognition, insights) to count. They carry ids only — never notes, topics or goal titles."""

from __future__ import annotations

from dataclasses import dataclass

from impactcircle.core.events import DomainEvent, register_event


@register_event("mentorship.relationship_started")
@dataclass(frozen=True, kw_only=True)
class RelationshipStarted(DomainEvent):
    """A relationship was created active: from a published run or an accepted self-selection
    request."""

    relationship_id: int
    programme_id: int
    mentor_id: int
    mentee_ids: tuple[int, ...]
    source_run_id: int | None


@register_event("mentorship.session_confirmed")
@dataclass(frozen=True, kw_only=True)
class SessionConfirmed(DomainEvent):
    """A mentoring session became confirmed (its first confirmation by another member)."""

    session_id: int
    relationship_id: int
    programme_id: int
    member_ids: tuple[int, ...]


@register_event("mentorship.goal_achieved")
@dataclass(frozen=True, kw_only=True)
class GoalAchieved(DomainEvent):
    """A relationship goal reached 100 % progress (again, if it had dropped below)."""

    goal_id: int
    relationship_id: int
    programme_id: int
    achieved_by_id: int


@register_event("mentorship.relationship_finished")
@dataclass(frozen=True, kw_only=True)
class RelationshipFinished(DomainEvent):
    """A relationship was completed (`ended_early` False) or ended early (True)."""

    relationship_id: int
    programme_id: int
    ended_early: bool
