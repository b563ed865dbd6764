"""Flash-mentoring writes: publish, reschedule and cancel a slot; book and cancel a booking.

No double booking, whatever the race: booking locks the slot row (`select_for_update`; SQLite's
IMMEDIATE transactions serialise writers), checks it is still open, and the partial unique
constraint "one live booking per slot" refuses a twin even if a lock were missed. Every change
to a booked slot raises its calendar SEQUENCE and emails both people an .ics (REQUEST, or CANCEL
with the same UID) once the transaction commits.
"""

from __future__ import annotations

import zoneinfo
from datetime import UTC, date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from impactcircle.accounts.models import User
from impactcircle.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from impactcircle.core.events import publish
from impactcircle.core.tasks import enqueue_on_commit, send_emails
from impactcircle.mentorship.flash.calendar_invites import (
    Method,
    invitation_filename,
    invitation_mimetype,
    slot_invitation,
)
from impactcircle.mentorship.flash.events import FlashSessionBooked
from impactcircle.mentorship.flash.selectors import (
    booking_for,
    flash_programme_for,
    is_flash_mentor,
    slot_for,
    slot_zones_shown,
    time_zone_of,
)
from impactcircle.mentorship.models import FlashBooking, FlashSlot, Programme
from impactcircle.notifications.services import notify

MENTORING_CATEGORY = "mentoring"
MIN_MINUTES, MAX_MINUTES = 10, 240
TOPIC_MAX_LENGTH = 200
LINK_MAX_LENGTH, LOCATION_MAX_LENGTH = 500, 200
_WEB_ADDRESS = URLValidator(schemes=["https", "http"])
# The last end a slot may have: a day before the largest date Python holds, so that it can be
# shown in any time zone (up to 14 hours ahead of UTC) without overflowing.
_LATEST_END = datetime.max.replace(tzinfo=UTC) - timedelta(days=1)


def board_link(programme: Programme) -> str:
    return reverse("flash_board", args=[programme.pk])


def _utc_times(
    local_start: datetime, minutes: int, zone_name: str, programme: Programme
) -> tuple[datetime, datetime]:
    """A wall-clock start in the mentor's zone (naive, or aware in any zone) to UTC times,
    inside the programme's dates (from the first day's midnight to the last day's end, in the
    mentor's zone)."""
    if not MIN_MINUTES <= minutes <= MAX_MINUTES:
        raise InvalidInput(
            "Choose a length between 10 minutes and 4 hours.",
            fields={"duration_minutes": [f"Between {MIN_MINUTES} and {MAX_MINUTES} minutes."]},
        )
    if timezone.is_naive(local_start):
        local_start = local_start.replace(tzinfo=_zone(zone_name))
    out_of_calendar = InvalidInput(
        "Choose a date a calendar can hold.",
        fields={"starts_at": [f"Choose a time between now and {_LATEST_END:%Y-%m-%d}."]},
    )
    try:
        starts = local_start.astimezone(UTC)
        ends = starts + timedelta(minutes=minutes)
    except OverflowError as error:  # 0001-01-01 east of UTC, or 9999-12-31 plus the length
        raise out_of_calendar from error
    if ends > _LATEST_END:
        raise out_of_calendar
    if starts <= timezone.now():
        raise InvalidInput("A slot starts in the future.", fields={"starts_at": ["In the past."]})
    _within_programme(starts, ends, zone_name, programme)
    return starts, ends


def _within_programme(
    starts: datetime, ends: datetime, zone_name: str, programme: Programme
) -> None:
    zone = _zone(zone_name)
    first, last = programme.starts_on, programme.ends_on
    try:
        opens = datetime.combine(first, time.min, zone)
        closes = datetime.combine(last + timedelta(days=1), time.min, zone)
    except OverflowError:  # a programme ending on the last date Python holds
        closes = datetime.combine(date.max, time.max, zone)
    if starts < opens or ends > closes:
        window = f"between {first:%Y-%m-%d} and {last:%Y-%m-%d}"
        raise InvalidInput(
            f"Choose a time {window}, the programme's dates.",
            fields={"starts_at": [f"Choose a time {window}."]},
        )


def _zone(name: str) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def _local(moment: datetime, zone_name: str) -> str:
    """A moment as wall-clock time in the named zone, with the zone's abbreviation."""
    local = timezone.localtime(moment, _zone(zone_name))
    return f"{local:%d %b %Y %H:%M} {local.tzname()}"


def _no_overlap(mentor: User, starts: datetime, ends: datetime, skip: int | None = None) -> None:
    clash = FlashSlot.objects.filter(mentor=mentor, starts_at__lt=ends, ends_at__gt=starts).exclude(
        status=FlashSlot.Status.CANCELLED
    )
    if skip is not None:
        clash = clash.exclude(pk=skip)
    if clash.exists():
        raise Conflict("You already offer a slot at that time.")


def _send_invitation(slot: FlashSlot, attendee: User, method: Method, why: str) -> None:
    """Email the current .ics to the mentor and the attendee once the transaction commits
    (one task, one mail connection)."""
    text = slot_invitation(slot, attendee=attendee, method=method)
    attachment = (invitation_filename(slot, method), text, invitation_mimetype(method))
    messages = []
    for person in (slot.mentor, attendee):
        if not person.email:
            continue
        zone = (
            f" (the mentor's zone is {slot.time_zone})"
            if slot.pk in slot_zones_shown(person, [slot])
            else ""
        )
        messages.append(
            {
                "subject": f"[ImpactCircle] {why}",
                "body": f"{why}\n\n{slot.programme.name}: {_local(slot.starts_at, 'UTC')}"
                f"{zone}. The calendar invitation is attached.",
                "to": [person.email],
                "from_email": None,
                "attachments": [attachment],
            }
        )
    if messages:
        enqueue_on_commit(send_emails, messages=messages)


def slot_publish(
    *,
    actor: User,
    programme_id: int,
    starts_at: datetime,
    duration_minutes: int,
    topic: str = "",
    meeting_link: str = "",
    location: str = "",
) -> FlashSlot:
    """A mentor offers a time; `starts_at` is wall-clock time in the mentor's own zone. The
    meeting link (a web address) and the place are for the mentor and the booker."""
    programme = flash_programme_for(actor, programme_id)
    if not is_flash_mentor(actor, programme):
        raise Forbidden("Only the programme's accepted mentors publish slots.")
    zone_name = time_zone_of(actor)
    starts, ends = _utc_times(starts_at, duration_minutes, zone_name, programme)
    text = (topic or "").strip()
    if len(text) > TOPIC_MAX_LENGTH:
        raise InvalidInput("The topic is too long.", fields={"topic": ["At most 200."]})
    link, place = _meeting_link(meeting_link), (location or "").strip()
    if len(place) > LOCATION_MAX_LENGTH:
        raise InvalidInput("The place is too long.", fields={"location": ["At most 200."]})
    with transaction.atomic():
        _no_overlap(actor, starts, ends)
        return FlashSlot.objects.create(
            programme=programme,
            mentor=actor,
            starts_at=starts,
            ends_at=ends,
            time_zone=zone_name,
            topic=text,
            meeting_link=link,
            location=place,
        )


def _meeting_link(text: str) -> str:
    link = (text or "").strip()
    if not link:
        return ""
    try:
        if len(link) > LINK_MAX_LENGTH:
            raise ValidationError("too long")
        _WEB_ADDRESS(link)
    except ValidationError:
        raise InvalidInput(
            "The meeting link is not a web address.",
            fields={"meeting_link": ["Give a web address starting with https://."]},
        ) from None
    return link


# A slot the actor may not act on answers as one they cannot see (404), like every other
# foreign object: the programme's participants see it on the board, but it is not theirs.
_NO_SUCH_SLOT = "No such slot."


def _own_slot(actor: User, slot_id: int) -> FlashSlot:
    slot = slot_for(actor, slot_id)
    if slot.mentor_id != actor.pk:
        raise NotFound(_NO_SUCH_SLOT)
    return slot


def _live(slot: FlashSlot) -> FlashBooking | None:
    return slot.bookings.filter(status=FlashBooking.Status.BOOKED).select_related("member").first()


def slot_reschedule(
    *, actor: User, slot_id: int, starts_at: datetime, duration_minutes: int
) -> FlashSlot:
    """Move a slot (wall-clock time in the mentor's zone); a booker gets the updated .ics."""
    _own_slot(actor, slot_id)
    with transaction.atomic():
        slot = (
            FlashSlot.objects.select_for_update()
            .select_related("programme", "mentor")
            .get(pk=slot_id)
        )
        if slot.status == FlashSlot.Status.CANCELLED:
            raise Conflict("This slot is cancelled.")
        starts, ends = _utc_times(starts_at, duration_minutes, slot.time_zone, slot.programme)
        _no_overlap(actor, starts, ends, skip=slot.pk)
        slot.starts_at, slot.ends_at = starts, ends
        slot.calendar_sequence += 1
        slot.save(update_fields=["starts_at", "ends_at", "calendar_sequence", "updated_at"])
        booking = _live(slot)
        if booking is not None:
            notify(
                recipient=booking.member,
                category=MENTORING_CATEGORY,
                message=f"{actor.display_name} moved your flash-mentoring conversation to "
                f"{_local(starts, time_zone_of(booking.member))}.",
                link=board_link(slot.programme),
                actor=actor,
            )
            _send_invitation(slot, booking.member, "REQUEST", "Flash mentoring moved")
    return slot


def slot_cancel(*, actor: User, slot_id: int) -> FlashSlot:
    """The mentor withdraws the slot; a booker is told and both get a CANCEL .ics."""
    _own_slot(actor, slot_id)
    with transaction.atomic():
        slot = (
            FlashSlot.objects.select_for_update()
            .select_related("programme", "mentor")
            .get(pk=slot_id)
        )
        if slot.status == FlashSlot.Status.CANCELLED:
            raise Conflict("This slot is already cancelled.")
        booking = _live(slot)
        slot.status = FlashSlot.Status.CANCELLED
        slot.calendar_sequence += 1
        slot.save(update_fields=["status", "calendar_sequence", "updated_at"])
        if booking is not None:
            booking.status = FlashBooking.Status.CANCELLED
            booking.save(update_fields=["status", "updated_at"])
            notify(
                recipient=booking.member,
                category=MENTORING_CATEGORY,
                message=f"{actor.display_name} cancelled your flash-mentoring conversation in "
                f"{slot.programme}.",
                link=board_link(slot.programme),
                actor=actor,
            )
            _send_invitation(slot, booking.member, "CANCEL", "Flash mentoring cancelled")
    return slot


def booking_create(*, actor: User, slot_id: int) -> FlashBooking:
    """Book an open slot. Two people booking the same slot at once: one wins, one Conflict."""
    slot_for(actor, slot_id)  # 404 for people outside the programme
    with transaction.atomic():
        slot = (
            FlashSlot.objects.select_for_update()
            .select_related("programme", "mentor")
            .get(pk=slot_id)
        )
        if slot.mentor_id == actor.pk:
            raise InvalidInput("You cannot book your own slot.")
        if slot.status == FlashSlot.Status.CANCELLED:
            raise Conflict("This slot was cancelled. Please choose another.")
        if slot.status != FlashSlot.Status.OPEN:
            raise Conflict("This slot has just been taken. Please choose another.")
        if slot.starts_at <= timezone.now():
            raise Conflict("This slot has already started.")
        try:
            with transaction.atomic():
                booking = FlashBooking.objects.create(slot=slot, member=actor)
        except IntegrityError:
            raise Conflict("This slot has just been taken. Please choose another.") from None
        slot.status = FlashSlot.Status.BOOKED
        slot.calendar_sequence += 1
        slot.save(update_fields=["status", "calendar_sequence", "updated_at"])
        publish(
            FlashSessionBooked(
                booking_id=booking.pk,
                slot_id=slot.pk,
                programme_id=slot.programme_id,
                mentor_id=slot.mentor_id,
                member_id=actor.pk,
                starts_at=slot.starts_at,
            )
        )
        notify(
            recipient=slot.mentor,
            category=MENTORING_CATEGORY,
            message=f"{actor.display_name} booked your flash-mentoring slot of "
            f"{_local(slot.starts_at, slot.time_zone)}.",
            link=board_link(slot.programme),
            actor=actor,
        )
        _send_invitation(slot, actor, "REQUEST", "Flash mentoring booked")
    return booking


def booking_cancel(*, actor: User, booking_id: int) -> FlashBooking:
    """The member (or the slot's mentor) cancels a booking; the slot opens again and both get
    a CANCEL .ics."""
    found = booking_for(actor, booking_id)
    with transaction.atomic():
        slot = (
            FlashSlot.objects.select_for_update()
            .select_related("programme", "mentor")
            .get(pk=found.slot_id)
        )
        booking = FlashBooking.objects.select_related("member").get(pk=found.pk)
        if booking.status != FlashBooking.Status.BOOKED:
            raise Conflict("This booking is already cancelled.")
        booking.status = FlashBooking.Status.CANCELLED
        booking.save(update_fields=["status", "updated_at"])
        slot.calendar_sequence += 1
        update = ["calendar_sequence", "updated_at"]
        if slot.status == FlashSlot.Status.BOOKED:
            slot.status = FlashSlot.Status.OPEN
            update.append("status")
        slot.save(update_fields=update)
        other = slot.mentor if actor.pk == booking.member_id else booking.member
        notify(
            recipient=other,
            category=MENTORING_CATEGORY,
            message=f"{actor.display_name} cancelled the flash-mentoring conversation of "
            f"{_local(slot.starts_at, 'UTC')}.",
            link=board_link(slot.programme),
            actor=actor,
        )
        _send_invitation(slot, booking.member, "CANCEL", "Flash mentoring cancelled")
    return booking


def slot_calendar_file(*, actor: User, slot_id: int) -> tuple[str, str]:
    """The slot's .ics as the actor should hold it now, as (filename, text). The mentor: REQUEST
    until the slot is cancelled. A booker: REQUEST while booked, CANCEL after a cancellation."""
    slot = slot_for(actor, slot_id)
    booking = _live(slot)
    method: Method
    if slot.mentor_id == actor.pk:
        attendee = booking.member if booking is not None else None
        method = "CANCEL" if slot.status == FlashSlot.Status.CANCELLED else "REQUEST"
    elif booking is not None and booking.member_id == actor.pk:
        attendee, method = actor, "REQUEST"
    elif slot.bookings.filter(member=actor).exists():
        attendee, method = actor, "CANCEL"
    else:  # neither its mentor nor a booker: no invitation to hold
        raise NotFound(_NO_SUCH_SLOT)
    text = slot_invitation(slot, attendee=attendee, method=method)
    return invitation_filename(slot, method), text
