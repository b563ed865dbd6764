"""Facts the flash-mentoring part announces through `core.events` (ids only)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from impactcircle.core.events import DomainEvent, register_event


@register_event("mentorship.flash_session_booked")
@dataclass(frozen=True, kw_only=True)
class FlashSessionBooked(DomainEvent):
    """Someone booked an open flash-mentoring slot."""

    booking_id: int
    slot_id: int
    programme_id: int
    mentor_id: int
    member_id: int
    starts_at: datetime
