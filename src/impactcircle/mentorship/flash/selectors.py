"""Reads for flash mentoring: the programme's board of slots, one slot or booking for a person.

Only the programme's accepted participants (either side) and its managers see a flash programme's
slots; anyone else gets 404. A booking is seen by its member and by the slot's mentor. A slot's
time zone is its mentor's (part of the location group of their profile): it is shown only to
those who may see the mentor's location (`slot_zones_shown`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from impactcircle.accounts.models import User
from impactcircle.core.access import fetch
from impactcircle.core.errors import NotFound
from impactcircle.core.pagination import FirstRows, first_rows
from impactcircle.mentorship.models import Application, FlashBooking, FlashSlot, Programme, Side
from impactcircle.mentorship.policies import manages, programme_for
from impactcircle.people.models import Profile
from impactcircle.people.visibility import ViewerScope, scope_for


def flash_programme_for(actor: User, programme_id: int) -> Programme:
    programme = programme_for(actor, programme_id)
    if programme.format != Programme.Format.FLASH:
        raise NotFound("This is not a flash-mentoring programme.")
    if not (is_flash_participant(actor, programme) or manages(actor, programme)):
        raise NotFound("You are not taking part in this programme.")
    return programme


def is_flash_participant(actor: User, programme: Programme) -> bool:
    return Application.objects.filter(
        programme=programme, user=actor, status=Application.Status.ACCEPTED
    ).exists()


def is_flash_mentor(actor: User, programme: Programme) -> bool:
    return Application.objects.filter(
        programme=programme, user=actor, side=Side.MENTOR, status=Application.Status.ACCEPTED
    ).exists()


def time_zone_of(user: User) -> str:
    found = Profile.objects.filter(user=user).values_list("time_zone", flat=True).first()
    return found or "UTC"


def slot_zones_shown(
    viewer: User, slots: Iterable[FlashSlot], *, scope: ViewerScope | None = None
) -> frozenset[int]:
    """The ids of the slots whose time zone the viewer may read: their own, and those of mentors
    whose location the viewer may see. One query (plus the viewer's scope when not given)."""
    slots = list(slots)
    others = {slot.mentor_id for slot in slots if slot.mentor_id != viewer.pk}
    if not others:
        return frozenset(slot.pk for slot in slots)
    scope = scope if scope is not None else scope_for(viewer)
    seen = {viewer.pk}
    if scope.is_admin:
        seen |= others
    else:
        profiles = Profile.objects.filter(user_id__in=others).only("user_id", "location_visibility")
        seen |= {profile.user_id for profile in profiles if scope.can_see(profile, "location")}
    return frozenset(slot.pk for slot in slots if slot.mentor_id in seen)


def _live_bookings() -> Prefetch[str, QuerySet[FlashBooking], str]:
    return Prefetch(
        "bookings",
        queryset=FlashBooking.objects.filter(status=FlashBooking.Status.BOOKED).select_related(
            "member"
        ),
        to_attr="live_bookings",
    )


SLOTS_SHOWN = 50  # of each list on the board (and in the API's list of slots), soonest first


@dataclass(frozen=True)
class FlashBoard:
    programme: Programme
    is_mentor: bool
    open_slots: FirstRows[FlashSlot]  # the soonest SLOTS_SHOWN
    my_slots: FirstRows[FlashSlot]
    my_bookings: FirstRows[FlashBooking]
    zones_shown: frozenset[int]  # the slots whose (mentor's) time zone the viewer may read


def open_slots(programme: Programme, actor: User) -> QuerySet[FlashSlot]:
    """Upcoming open slots of other mentors, soonest first."""
    return (
        FlashSlot.objects.filter(
            programme=programme, status=FlashSlot.Status.OPEN, starts_at__gt=timezone.now()
        )
        .exclude(mentor=actor)
        .select_related("mentor", "programme")
    )


def slots_of_mentor(programme: Programme, mentor: User) -> QuerySet[FlashSlot]:
    """The mentor's upcoming slots that are not cancelled, with their live booking."""
    return (
        FlashSlot.objects.filter(programme=programme, mentor=mentor, ends_at__gt=timezone.now())
        .exclude(status=FlashSlot.Status.CANCELLED)
        .select_related("mentor", "programme")
        .prefetch_related(_live_bookings())
    )


def bookings_of(member: User, programme: Programme | None = None) -> QuerySet[FlashBooking]:
    """The member's live bookings, soonest first."""
    bookings = FlashBooking.objects.filter(member=member, status=FlashBooking.Status.BOOKED)
    if programme is not None:
        bookings = bookings.filter(slot__programme=programme)
    return bookings.select_related("slot", "slot__mentor", "slot__programme", "member").order_by(
        "slot__starts_at"
    )


def flash_board(actor: User, programme_id: int) -> FlashBoard:
    programme = flash_programme_for(actor, programme_id)
    mentor = is_flash_mentor(actor, programme)
    slots = first_rows(open_slots(programme, actor), SLOTS_SHOWN)
    mine = slots_of_mentor(programme, actor)
    my_slots = first_rows(mine if mentor else mine.none(), SLOTS_SHOWN)  # none(): no query
    my_bookings = first_rows(bookings_of(actor, programme), SLOTS_SHOWN)
    return FlashBoard(
        programme=programme,
        is_mentor=mentor,
        open_slots=slots,
        my_slots=my_slots,
        my_bookings=my_bookings,
        zones_shown=slot_zones_shown(
            actor, [*slots, *my_slots, *(booking.slot for booking in my_bookings)]
        ),
    )


def slot_for(actor: User, slot_id: int) -> FlashSlot:
    """A slot the actor may see: its mentor, anyone who booked it, or the programme's accepted
    participants. Anyone else: 404."""
    return fetch(
        actor,
        FlashSlot,
        slot_id,
        queryset=FlashSlot.objects.select_related("programme", "mentor").prefetch_related(
            _live_bookings()
        ),
    )


def live_booking(slot: FlashSlot) -> FlashBooking | None:
    if hasattr(slot, "live_bookings"):
        live: list[FlashBooking] = getattr(slot, "live_bookings")  # noqa: B009  # set by Prefetch
        return live[0] if live else None
    return slot.bookings.filter(status=FlashBooking.Status.BOOKED).select_related("member").first()


def booking_for(actor: User, booking_id: int) -> FlashBooking:
    return fetch(
        actor,
        FlashBooking,
        booking_id,
        queryset=FlashBooking.objects.select_related(
            "slot", "slot__mentor", "slot__programme", "member"
        ),
    )
