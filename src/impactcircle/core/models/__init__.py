"""Core's models, one module per part of the platform layer; Django finds them all here."""

from impactcircle.core.models.access import ObjectRole
from impactcircle.core.models.base import (
    AppendOnlyError,
    AuditEvent,
    AuditEventQuerySet,
    PeriodicJobState,
    TimeStampedModel,
    WorkerHeartbeat,
)
from impactcircle.core.models.events import EventDelivery, OutboxEvent
from impactcircle.core.models.search import SearchDocument, SearchRevision

__all__ = [
    "AppendOnlyError",
    "AuditEvent",
    "AuditEventQuerySet",
    "EventDelivery",
    "ObjectRole",
    "OutboxEvent",
    "PeriodicJobState",
    "SearchDocument",
    "SearchRevision",
    "TimeStampedModel",
    "WorkerHeartbeat",
]
