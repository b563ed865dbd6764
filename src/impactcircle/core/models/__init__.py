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

__all__ = [
    "AppendOnlyError",
    "AuditEvent",
    "AuditEventQuerySet",
    "ObjectRole",
    "PeriodicJobState",
    "TimeStampedModel",
    "WorkerHeartbeat",
]
