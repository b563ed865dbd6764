"""Calendar invitations for flash-mentoring slots (RFC 5545 iCalendar, RFC 5546 iTIP methods).

One event per slot: its UID never changes, its SEQUENCE (`FlashSlot.calendar_sequence`) grows
with every change (booking, cancelled booking, new time, cancelled slot), so calendars replace the
earlier copy. `METHOD:REQUEST` creates or updates the event; `METHOD:CANCEL` removes it. Times are
written in UTC; each calendar shows them in its owner's zone. A reminder fires 15 minutes before.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Literal
from urllib.parse import urlsplit

from django.conf import settings
from icalendar import Alarm, Calendar, Event, vCalAddress, vText

from impactcircle.accounts.models import User
from impactcircle.mentorship.flash.selectors import slot_zones_shown
from impactcircle.mentorship.models import FlashSlot

Method = Literal["REQUEST", "CANCEL"]
REMINDER_BEFORE = timedelta(minutes=15)
PRODUCT_ID = "-//ImpactCircle//Flash mentoring//EN"


def slot_uid(slot: FlashSlot) -> str:
    """Stable per slot, unique across installations (the site's host name)."""
    host = urlsplit(settings.SITE_URL).hostname or "impactcircle.local"
    return f"flash-slot-{slot.pk}@{host}"


def _address(user: User, role: str | None = None) -> vCalAddress:
    address = vCalAddress(f"mailto:{user.email}")
    address.params["cn"] = vText(user.display_name)
    if role:
        address.params["role"] = vText(role)
        address.params["partstat"] = vText("ACCEPTED")
    return address


def slot_invitation(
    slot: FlashSlot, *, attendee: User | None, method: Method, now: datetime | None = None
) -> str:
    """The .ics text for the slot's event as it stands (its current SEQUENCE)."""
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    event = Event()
    event.add("uid", slot_uid(slot))
    event.add("sequence", slot.calendar_sequence)
    event.add("dtstamp", (now or datetime.now(UTC)).astimezone(UTC))
    event.add("dtstart", slot.starts_at.astimezone(UTC))
    event.add("dtend", slot.ends_at.astimezone(UTC))
    mentor = slot.mentor
    topic = f": {slot.topic}" if slot.topic else ""
    event.add("summary", f"Flash mentoring with {mentor.display_name}{topic}")
    # The file goes to the attendee too: the mentor's zone only when they may see it.
    shows_zone = attendee is None or slot.pk in slot_zones_shown(attendee, [slot])
    zone = f" Published in {slot.time_zone} time." if shows_zone else ""
    where = [
        *([f"Place: {slot.location}."] if slot.location else []),
        *([f"Join: {slot.meeting_link}"] if slot.meeting_link else []),
    ]
    event.add(
        "description",
        " ".join([f"A flash-mentoring conversation in {slot.programme.name}.{zone}", *where]),
    )
    # LOCATION is the place, with the link beside it (calendars show LOCATION; many make a link
    # in it clickable); URL is the link alone.
    if slot.location or slot.meeting_link:
        both = slot.location and slot.meeting_link
        event.add(
            "location",
            f"{slot.location} ({slot.meeting_link})"
            if both
            else slot.location or slot.meeting_link,
        )
    if slot.meeting_link:
        event.add("url", slot.meeting_link)
    event.add("organizer", _address(mentor))
    if attendee is not None:
        event.add("attendee", _address(attendee, "REQ-PARTICIPANT"))
    event.add("status", "CANCELLED" if method == "CANCEL" else "CONFIRMED")
    if method == "REQUEST":
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", "Flash mentoring starts in 15 minutes")
        alarm.add("trigger", -REMINDER_BEFORE)
        event.add_component(alarm)
    calendar.add_component(event)
    return calendar.to_ical().decode()


def invitation_filename(slot: FlashSlot, method: Method) -> str:
    return f"flash-mentoring-{slot.pk}{'-cancelled' if method == 'CANCEL' else ''}.ics"


def invitation_mimetype(method: Method) -> str:
    return f"text/calendar; charset=utf-8; method={method}"
