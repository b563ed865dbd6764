"""Flash mentoring through the services: slots in the mentor's zone, bookings, calendar files."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone
from icalendar import Calendar
from tests.factories import ApplicationFactory, ProgrammeFactory, UserFactory

from impactcircle.accounts.models import User
from impactcircle.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from impactcircle.core.models import OutboxEvent
from impactcircle.mentorship.flash.calendar_invites import slot_invitation, slot_uid
from impactcircle.mentorship.flash.services import (
    booking_cancel,
    booking_create,
    slot_calendar_file,
    slot_cancel,
    slot_publish,
    slot_reschedule,
)
from impactcircle.mentorship.models import FlashBooking, FlashSlot, Programme
from impactcircle.notifications.models import Notification
from impactcircle.people.models import Profile

pytestmark = pytest.mark.django_db


def flash_programme() -> Programme:
    """Running from today to the end of the year after next: every `next_year` time is inside."""
    today = timezone.now().date()
    return ProgrammeFactory(format="flash", starts_on=today, ends_on=date(today.year + 2, 12, 31))


def enrol(programme: Programme, side: str, zone: str = "UTC") -> User:
    person = UserFactory()
    Profile.objects.update_or_create(user=person, defaults={"time_zone": zone})
    ApplicationFactory(programme=programme, user=person, side=side)
    return person


def next_year(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    """A naive wall-clock time safely in the future."""
    return datetime(timezone.now().year + 1, month, day, hour, minute)  # wall-clock input


def invitation_to(email: str) -> str:
    """The .ics text of the last email with a calendar attachment sent to `email`."""
    message = [m for m in mail.outbox if m.to == [email] and m.attachments][-1]
    return str(message.attachments[0][1])


def parse(text: str) -> Calendar:
    return Calendar.from_ical(text)


def event_of(text: str) -> tuple[str, object]:
    calendar = parse(text)
    (event,) = calendar.walk("VEVENT")
    return str(calendar["METHOD"]), event


@pytest.fixture
def programme(db: None) -> Programme:
    return flash_programme()


@pytest.fixture
def mentor(programme: Programme) -> User:
    return enrol(programme, "mentor", "Asia/Kolkata")


@pytest.fixture
def member(programme: Programme) -> User:
    return enrol(programme, "mentee", "Europe/Berlin")


@pytest.fixture
def slot(programme: Programme, mentor: User) -> FlashSlot:
    return slot_publish(
        actor=mentor,
        programme_id=programme.pk,
        starts_at=next_year(6, 1, 10, 0),
        duration_minutes=30,
        topic="Impact reports",
    )


def test_a_slot_is_stored_in_utc_with_the_mentors_zone(slot: FlashSlot) -> None:
    assert slot.starts_at == datetime(slot.starts_at.year, 6, 1, 4, 30, tzinfo=UTC)
    assert slot.ends_at - slot.starts_at == timedelta(minutes=30)
    assert slot.time_zone == "Asia/Kolkata"
    assert slot.status == "open"


def test_only_accepted_mentors_publish(programme: Programme, member: User) -> None:
    with pytest.raises(Forbidden):
        slot_publish(
            actor=member,
            programme_id=programme.pk,
            starts_at=next_year(6, 1, 9),
            duration_minutes=30,
        )


def test_outsiders_do_not_see_the_programme(programme: Programme, slot: FlashSlot) -> None:
    outsider = UserFactory()
    with pytest.raises(NotFound):
        slot_publish(
            actor=outsider,
            programme_id=programme.pk,
            starts_at=next_year(6, 1, 9),
            duration_minutes=30,
        )
    with pytest.raises(NotFound):
        booking_create(actor=outsider, slot_id=slot.pk)


def test_a_slot_in_the_past_or_overlapping_is_refused(
    programme: Programme, mentor: User, slot: FlashSlot
) -> None:
    with pytest.raises(InvalidInput):
        slot_publish(
            actor=mentor,
            programme_id=programme.pk,
            starts_at=datetime(2020, 1, 1, 9, 0),  # wall-clock input
            duration_minutes=30,
        )
    with pytest.raises(Conflict):
        slot_publish(
            actor=mentor,
            programme_id=programme.pk,
            starts_at=next_year(6, 1, 10, 15),
            duration_minutes=30,
        )


def test_booking_takes_the_slot_and_emails_both_an_invitation(
    slot: FlashSlot, mentor: User, member: User, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        booking = booking_create(actor=member, slot_id=slot.pk)
    slot.refresh_from_db()
    assert booking.status == "booked"
    assert slot.status == "booked"
    assert slot.calendar_sequence == 1
    assert sorted(m.to[0] for m in mail.outbox if m.attachments) == sorted(
        [mentor.email, member.email]
    )
    message = next(m for m in mail.outbox if m.to == [member.email] and m.attachments)
    filename, content, mimetype = message.attachments[0]
    assert filename.endswith(".ics")
    assert "method=REQUEST" in mimetype
    method, event = event_of(content)
    assert method == "REQUEST"
    assert str(event["UID"]) == slot_uid(slot)
    assert int(event["SEQUENCE"]) == 1
    assert Notification.objects.filter(recipient=mentor, message__contains="booked").exists()


def test_a_booking_announces_the_flash_session(slot: FlashSlot, mentor: User, member: User) -> None:
    booking = booking_create(actor=member, slot_id=slot.pk)

    (event,) = OutboxEvent.objects.filter(name="mentorship.flash_session_booked")
    assert event.payload == {
        "booking_id": booking.pk,
        "slot_id": slot.pk,
        "programme_id": slot.programme_id,
        "mentor_id": mentor.pk,
        "member_id": member.pk,
        "starts_at": slot.starts_at.isoformat(),
    }


def test_the_invitation_follows_rfc_5545(slot: FlashSlot, member: User) -> None:
    booking_create(actor=member, slot_id=slot.pk)
    slot.refresh_from_db()
    method, event = event_of(slot_invitation(slot, attendee=member, method="REQUEST"))
    assert method == "REQUEST"
    assert event["DTSTART"].dt == slot.starts_at
    assert event["DTSTART"].dt.tzinfo is not None
    assert event["DTSTART"].dt.utcoffset() == timedelta(0)
    assert event["DTEND"].dt == slot.ends_at
    assert str(event["ORGANIZER"]) == f"mailto:{slot.mentor.email}"
    assert str(event["ATTENDEE"]) == f"mailto:{member.email}"
    (alarm,) = event.walk("VALARM")
    assert alarm["TRIGGER"].dt == -timedelta(minutes=15)
    assert str(alarm["ACTION"]) == "DISPLAY"


def test_a_second_booking_of_the_same_slot_is_a_conflict(
    programme: Programme, slot: FlashSlot, member: User
) -> None:
    booking_create(actor=member, slot_id=slot.pk)
    other = enrol(programme, "mentee")
    with pytest.raises(Conflict, match="just been taken"):
        booking_create(actor=other, slot_id=slot.pk)
    assert FlashBooking.objects.filter(slot=slot, status="booked").count() == 1


def test_a_mentor_cannot_book_their_own_slot(slot: FlashSlot, mentor: User) -> None:
    with pytest.raises((InvalidInput, NotFound)):
        booking_create(actor=mentor, slot_id=slot.pk)


def test_cancelling_a_booking_opens_the_slot_and_sends_cancel(
    slot: FlashSlot, member: User, django_capture_on_commit_callbacks
) -> None:
    booking = booking_create(actor=member, slot_id=slot.pk)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        booking_cancel(actor=member, booking_id=booking.pk)
    slot.refresh_from_db()
    assert slot.status == "open"
    assert slot.calendar_sequence == 2
    method, event = event_of(invitation_to(member.email))
    assert method == "CANCEL"
    assert str(event["UID"]) == slot_uid(slot)
    assert int(event["SEQUENCE"]) == 2
    assert str(event["STATUS"]) == "CANCELLED"
    again = booking_create(actor=member, slot_id=slot.pk)
    assert again.status == "booked"


def test_cancelling_a_slot_tells_the_booker_with_a_higher_sequence(
    slot: FlashSlot, mentor: User, member: User, django_capture_on_commit_callbacks
) -> None:
    booking = booking_create(actor=member, slot_id=slot.pk)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        slot_cancel(actor=mentor, slot_id=slot.pk)
    booking.refresh_from_db()
    assert booking.status == "cancelled"
    method, event = event_of(invitation_to(member.email))
    assert (method, int(event["SEQUENCE"])) == ("CANCEL", 2)
    assert Notification.objects.filter(recipient=member, message__contains="cancelled").exists()
    with pytest.raises(Conflict, match="cancelled"):
        booking_create(actor=enrol(slot.programme, "mentee"), slot_id=slot.pk)


def test_rescheduling_sends_the_booker_an_update_with_the_same_uid(
    slot: FlashSlot, mentor: User, member: User, django_capture_on_commit_callbacks
) -> None:
    booking_create(actor=member, slot_id=slot.pk)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        moved = slot_reschedule(
            actor=mentor, slot_id=slot.pk, starts_at=next_year(6, 2, 11, 0), duration_minutes=45
        )
    assert moved.starts_at == datetime(moved.starts_at.year, 6, 2, 5, 30, tzinfo=UTC)
    method, event = event_of(invitation_to(member.email))
    assert method == "REQUEST"
    assert str(event["UID"]) == slot_uid(slot)
    assert int(event["SEQUENCE"]) == 2
    assert event["DTSTART"].dt == moved.starts_at
    assert Notification.objects.filter(recipient=member, message__contains="moved").exists()


def test_only_the_mentor_changes_a_slot(slot: FlashSlot, member: User) -> None:
    booking_create(actor=member, slot_id=slot.pk)
    with pytest.raises(NotFound):  # as any foreign object: 404, not 403
        slot_cancel(actor=member, slot_id=slot.pk)


def test_the_downloadable_file_reflects_the_current_state(
    slot: FlashSlot, mentor: User, member: User
) -> None:
    booking = booking_create(actor=member, slot_id=slot.pk)
    name, text = slot_calendar_file(actor=member, slot_id=slot.pk)
    assert name.endswith(".ics")
    assert event_of(text)[0] == "REQUEST"
    booking_cancel(actor=member, booking_id=booking.pk)
    method, event = event_of(slot_calendar_file(actor=member, slot_id=slot.pk)[1])
    assert (method, int(event["SEQUENCE"])) == ("CANCEL", 2)
    assert event_of(slot_calendar_file(actor=mentor, slot_id=slot.pk)[1])[0] == "REQUEST"


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_bookings_of_one_slot_make_one_booking() -> None:
    programme = flash_programme()
    mentor = enrol(programme, "mentor")
    people = [enrol(programme, "mentee"), enrol(programme, "mentee")]
    slot = slot_publish(
        actor=mentor, programme_id=programme.pk, starts_at=next_year(3, 3, 9), duration_minutes=30
    )
    start = threading.Barrier(2)
    outcomes: list[object] = []

    def book(person: User) -> None:
        try:
            start.wait()
            outcomes.append(booking_create(actor=person, slot_id=slot.pk))
        except Exception as error:  # the loser's Conflict is the point of the test
            outcomes.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=book, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sum(isinstance(o, FlashBooking) for o in outcomes) == 1, outcomes
    conflicts = [o for o in outcomes if isinstance(o, Conflict)]
    assert len(conflicts) == 1, outcomes
    assert "just been taken" in conflicts[0].message
    assert FlashBooking.objects.filter(slot=slot).count() == 1
    slot.refresh_from_db()
    assert (slot.status, slot.calendar_sequence) == ("booked", 1)


def test_both_invitations_of_a_booking_go_out_over_one_connection(
    slot: FlashSlot,
    member: User,
    counted_connections: list[int],
    django_capture_on_commit_callbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        booking_create(actor=member, slot_id=slot.pk)

    assert counted_connections == [1, 2]  # the mentor's "booked" notification, both invitations


def test_a_slot_outside_the_programmes_dates_is_a_field_error(
    programme: Programme, mentor: User
) -> None:
    year = timezone.now().year + 1
    programme.starts_on, programme.ends_on = date(year, 3, 1), date(year, 3, 31)
    programme.save(update_fields=["starts_on", "ends_on"])
    # The day before the first and the day after the last, wall-clock in the mentor's zone.
    for wall_clock in (datetime(year, 2, 28, 23, 30), datetime(year, 4, 1, 9, 0)):
        with pytest.raises(InvalidInput) as refused:
            slot_publish(
                actor=mentor,
                programme_id=programme.pk,
                starts_at=wall_clock,
                duration_minutes=30,
            )
        assert refused.value.fields == {
            "starts_at": [f"Choose a time between {year}-03-01 and {year}-03-31."]
        }
    # A slot that would run past the last day is outside too.
    with pytest.raises(InvalidInput):
        slot_publish(
            actor=mentor,
            programme_id=programme.pk,
            starts_at=datetime(year, 3, 31, 23, 45),
            duration_minutes=30,
        )
    assert not FlashSlot.objects.exists()
    # 1 March 00:10 in Kolkata is still 28 February in UTC: the mentor's day counts.
    first = slot_publish(
        actor=mentor,
        programme_id=programme.pk,
        starts_at=datetime(year, 3, 1, 0, 10),
        duration_minutes=30,
    )
    last = slot_publish(
        actor=mentor,
        programme_id=programme.pk,
        starts_at=datetime(year, 3, 31, 23, 0),
        duration_minutes=60,
    )
    assert [first.status, last.status] == ["open", "open"]


def test_a_slot_cannot_be_moved_outside_the_programmes_dates(
    programme: Programme, slot: FlashSlot, mentor: User
) -> None:
    after = programme.ends_on + timedelta(days=1)
    with pytest.raises(InvalidInput) as refused:
        slot_reschedule(
            actor=mentor,
            slot_id=slot.pk,
            starts_at=datetime(after.year, after.month, after.day, 10, 0),
            duration_minutes=30,
        )
    assert "starts_at" in refused.value.fields
    slot.refresh_from_db()
    assert slot.calendar_sequence == 0


def test_the_invitation_holds_the_slots_meeting_link_and_place(
    programme: Programme, mentor: User, member: User, django_capture_on_commit_callbacks
) -> None:
    link = "https://meet.example.org/flash-42"
    slot = slot_publish(
        actor=mentor,
        programme_id=programme.pk,
        starts_at=next_year(6, 2, 10),
        duration_minutes=30,
        meeting_link=link,
        location="Room 3, Pune office",
    )
    with django_capture_on_commit_callbacks(execute=True):
        booking_create(actor=member, slot_id=slot.pk)

    _, event = event_of(invitation_to(member.email))
    _, mentors_copy = event_of(slot_calendar_file(actor=mentor, slot_id=slot.pk)[1])
    for copy in (event, mentors_copy):
        assert str(copy["LOCATION"]) == f"Room 3, Pune office ({link})"
        assert str(copy["URL"]) == link
        assert link in str(copy["DESCRIPTION"])
        assert "Room 3, Pune office" in str(copy["DESCRIPTION"])


def test_a_link_alone_is_the_invitations_location(
    programme: Programme, mentor: User, member: User
) -> None:
    link = "https://meet.example.org/flash-43"
    slot = slot_publish(
        actor=mentor,
        programme_id=programme.pk,
        starts_at=next_year(6, 2, 12),
        duration_minutes=30,
        meeting_link=link,
    )

    _, event = event_of(slot_calendar_file(actor=mentor, slot_id=slot.pk)[1])

    assert str(event["LOCATION"]) == link
    assert str(event["URL"]) == link


def test_a_slot_without_a_place_has_no_location(slot: FlashSlot, mentor: User) -> None:
    _, event = event_of(slot_calendar_file(actor=mentor, slot_id=slot.pk)[1])

    assert "LOCATION" not in event
    assert "URL" not in event


@pytest.mark.parametrize("link", ["javascript:alert(1)", "meet.example.org", "ftp://x.org/a"])
def test_a_meeting_link_is_a_web_address(programme: Programme, mentor: User, link: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        slot_publish(
            actor=mentor,
            programme_id=programme.pk,
            starts_at=next_year(6, 2, 14),
            duration_minutes=30,
            meeting_link=link,
        )

    assert "meeting_link" in refused.value.fields
    assert not FlashSlot.objects.exists()
