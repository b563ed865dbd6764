"""Flash-mentoring API, mounted at /api/v1/mentoring/flash.

Times are ISO 8601. When publishing or moving a slot, a start without an offset is wall-clock
time in the mentor's own zone (their profile); with an offset it is taken as given. Answers are
in UTC with the mentor's zone beside them. Outsiders get 404, and so does a slot the caller may
not act on (another mentor's to move or cancel, the invitation of one they neither mentor nor
booked); a slot someone else just booked 409.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpResponse
from ninja import Field, Router, Schema, Status

from impactcircle.accounts.models import User
from impactcircle.accounts.requests import AuthenticatedRequest
from impactcircle.mentorship.flash import services
from impactcircle.mentorship.flash.selectors import (
    bookings_of,
    flash_board,
    live_booking,
    slot_for,
    slot_zones_shown,
)
from impactcircle.mentorship.models import FlashBooking, FlashSlot

router = Router(tags=["mentoring flash"])


class SlotIn(Schema):
    starts_at: datetime = Field(description="Without an offset: the mentor's own zone")
    duration_minutes: int = Field(30, ge=10, le=240)
    topic: str = Field("", max_length=200)
    meeting_link: str = Field("", max_length=500, description="A web address (https://…)")
    location: str = Field("", max_length=200, description="A place: a room, a café…")


class MoveIn(Schema):
    starts_at: datetime = Field(description="Without an offset: the mentor's own zone")
    duration_minutes: int = Field(30, ge=10, le=240)


class SlotOut(Schema):
    id: int
    programme_id: int
    mentor_id: int
    mentor: str
    starts_at: datetime
    ends_at: datetime
    time_zone: str | None = Field(
        description="The mentor's zone when publishing; null when their location is hidden"
    )
    topic: str
    status: str
    calendar_sequence: int
    booked_by_id: int | None = Field(None, description="Shown to the slot's mentor only")
    meeting_link: str = Field(description="Shown to the slot's mentor and booker only, else empty")
    location: str = Field(description="Shown to the slot's mentor and booker only, else empty")


class BookingOut(Schema):
    id: int
    status: str
    slot: SlotOut


def _slot(
    slot: FlashSlot,
    actor: User,
    zones_shown: frozenset[int] | None = None,
    *,
    booked_by_actor: bool | None = None,
) -> dict[str, Any]:
    booking = live_booking(slot) if slot.mentor_id == actor.pk else None
    if booked_by_actor is None:  # an open slot has no booker; otherwise ask its live booking
        booked_by_actor = slot.status == FlashSlot.Status.BOOKED and (
            (live := live_booking(slot)) is not None and live.member_id == actor.pk
        )
    place_shown = slot.mentor_id == actor.pk or booked_by_actor
    if zones_shown is None:
        zones_shown = slot_zones_shown(actor, [slot])
    return {
        "id": slot.pk,
        "programme_id": slot.programme_id,
        "mentor_id": slot.mentor_id,
        "mentor": slot.mentor.display_name,
        "starts_at": slot.starts_at,
        "ends_at": slot.ends_at,
        "time_zone": slot.time_zone if slot.pk in zones_shown else None,
        "topic": slot.topic,
        "status": slot.status,
        "calendar_sequence": slot.calendar_sequence,
        "booked_by_id": booking.member_id if booking is not None else None,
        "meeting_link": slot.meeting_link if place_shown else "",
        "location": slot.location if place_shown else "",
    }


def _booking(
    booking: FlashBooking, actor: User, zones_shown: frozenset[int] | None = None
) -> dict[str, Any]:
    return {
        "id": booking.pk,
        "status": booking.status,
        "slot": _slot(
            booking.slot,
            actor,
            zones_shown,
            booked_by_actor=booking.member_id == actor.pk
            and booking.status == FlashBooking.Status.BOOKED,
        ),
    }


@router.get(
    "/programmes/{programme_id}/slots",
    response=list[SlotOut],
    summary="Open slots to book, and my own slots when I mentor",
)
def list_slots(request: AuthenticatedRequest, programme_id: int) -> list[dict[str, Any]]:
    actor = request.user
    board = flash_board(actor, programme_id)
    return [_slot(slot, actor, board.zones_shown) for slot in [*board.my_slots, *board.open_slots]]


@router.post("/programmes/{programme_id}/slots", response={201: SlotOut}, summary="Publish a slot")
def publish_slot(request: AuthenticatedRequest, programme_id: int, payload: SlotIn) -> Status[Any]:
    actor = request.user
    slot = services.slot_publish(
        actor=actor,
        programme_id=programme_id,
        starts_at=payload.starts_at,
        duration_minutes=payload.duration_minutes,
        topic=payload.topic,
        meeting_link=payload.meeting_link,
        location=payload.location,
    )
    return Status(201, _slot(slot_for(actor, slot.pk), actor))


@router.get("/slots/{slot_id}", response=SlotOut, summary="One slot")
def get_slot(request: AuthenticatedRequest, slot_id: int) -> dict[str, Any]:
    actor = request.user
    return _slot(slot_for(actor, slot_id), actor)


@router.post(
    "/slots/{slot_id}/reschedule",
    response=SlotOut,
    summary="Move a slot (SEQUENCE+1, the booker gets the updated invitation)",
)
def reschedule_slot(request: AuthenticatedRequest, slot_id: int, payload: MoveIn) -> dict[str, Any]:
    actor = request.user
    services.slot_reschedule(
        actor=actor,
        slot_id=slot_id,
        starts_at=payload.starts_at,
        duration_minutes=payload.duration_minutes,
    )
    return _slot(slot_for(actor, slot_id), actor)


@router.post(
    "/slots/{slot_id}/cancel",
    response=SlotOut,
    summary="Cancel a slot (the booker is told and gets METHOD:CANCEL)",
)
def cancel_slot(request: AuthenticatedRequest, slot_id: int) -> dict[str, Any]:
    actor = request.user
    services.slot_cancel(actor=actor, slot_id=slot_id)
    return _slot(slot_for(actor, slot_id), actor)


@router.get(
    "/slots/{slot_id}/invitation.ics",
    response={200: None},
    summary="The slot's calendar invitation (text/calendar)",
)
def slot_ics(request: AuthenticatedRequest, slot_id: int) -> HttpResponse:
    filename, text = services.slot_calendar_file(actor=request.user, slot_id=slot_id)
    response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@router.post(
    "/slots/{slot_id}/bookings",
    response={201: BookingOut},
    summary="Book a slot (409 if someone else just did)",
)
def book_slot(request: AuthenticatedRequest, slot_id: int) -> Status[Any]:
    actor = request.user
    booking = services.booking_create(actor=actor, slot_id=slot_id)
    booking.slot.refresh_from_db()
    return Status(201, _booking(booking, actor))


@router.get("/bookings", response=list[BookingOut], summary="My live bookings")
def list_bookings(request: AuthenticatedRequest) -> list[dict[str, Any]]:
    actor = request.user
    bookings = list(bookings_of(actor))
    shown = slot_zones_shown(actor, [booking.slot for booking in bookings])
    return [_booking(booking, actor, shown) for booking in bookings]


@router.post(
    "/bookings/{booking_id}/cancel",
    response=BookingOut,
    summary="Cancel a booking (the slot opens again; METHOD:CANCEL to both)",
)
def cancel_booking(request: AuthenticatedRequest, booking_id: int) -> dict[str, Any]:
    actor = request.user
    booking = services.booking_cancel(actor=actor, booking_id=booking_id)
    booking.slot = FlashSlot.objects.select_related("mentor").get(pk=booking.slot_id)
    return _booking(booking, actor)
