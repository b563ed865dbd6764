"""Flash-mentoring pages and API: times in the viewer's zone, booking and the .ics download,
404 for an unrelated member everywhere, pinned query counts."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from django.test import Client
from icalendar import Calendar
from tests.conftest import HttpsClient
from tests.factories import ApplicationFactory, ProgrammeFactory, UserFactory, bearer

from impactcircle.accounts.models import User
from impactcircle.mentorship.flash.services import booking_create, slot_publish
from impactcircle.mentorship.models import FlashBooking, FlashSlot, Programme
from impactcircle.people.models import Profile

pytestmark = pytest.mark.django_db

API = "/api/v1/mentoring/flash"
YEAR = datetime.now(UTC).year + 1


def enrol(programme: Programme, side: str, zone: str = "UTC", **names: str) -> User:
    person = UserFactory(**names)
    Profile.objects.update_or_create(user=person, defaults={"time_zone": zone})
    ApplicationFactory(programme=programme, user=person, side=side)
    return person


def browser(person: User) -> Client:
    client = HttpsClient()
    client.force_login(person)
    return client


@pytest.fixture
def programme(db: None) -> Programme:
    """Running until the end of YEAR: every slot below is inside its dates."""
    return ProgrammeFactory(format="flash", ends_on=date(YEAR, 12, 31))


@pytest.fixture
def mentor(programme: Programme) -> User:
    return enrol(programme, "mentor", "Asia/Kolkata", first_name="Ravi", last_name="Rao")


@pytest.fixture
def member(programme: Programme) -> User:
    return enrol(programme, "mentee", "Europe/Berlin")


@pytest.fixture
def slot(programme: Programme, mentor: User) -> FlashSlot:
    # 1 June, 10:00 in Kolkata (UTC+5:30) = 04:30 UTC = 06:30 in Berlin (summer time, UTC+2)
    return slot_publish(
        actor=mentor,
        programme_id=programme.pk,
        starts_at=datetime(YEAR, 6, 1, 10, 0),  # wall-clock in the mentor's zone
        duration_minutes=30,
    )


def test_a_slot_published_in_kolkata_shows_in_the_viewers_berlin_time(
    programme: Programme, slot: FlashSlot, member: User
) -> None:
    page = browser(member).get(f"/mentoring/flash/programmes/{programme.pk}/")
    assert page.status_code == 200
    assert f"1 Jun {YEAR}, 06:30–07:00" in page.text
    assert "10:00 in Asia/Kolkata" in page.text
    assert "Ravi Rao" in page.text


def test_the_mentor_publishes_a_slot_from_the_page_in_their_own_zone(
    programme: Programme, mentor: User
) -> None:
    answer = browser(mentor).post(
        f"/mentoring/flash/programmes/{programme.pk}/slots/",
        {"starts_at": f"{YEAR}-01-15T09:00", "duration_minutes": 30, "topic": "Careers"},
        headers={"HX-Request": "true"},
    )
    assert answer.status_code == 200
    assert "Slot published." in answer.text
    slot = FlashSlot.objects.get()
    assert slot.starts_at == datetime(YEAR, 1, 15, 3, 30, tzinfo=UTC)
    assert slot.time_zone == "Asia/Kolkata"


def test_a_bad_start_shows_the_form_error(programme: Programme, mentor: User) -> None:
    answer = browser(mentor).post(
        f"/mentoring/flash/programmes/{programme.pk}/slots/",
        {"starts_at": "soon", "duration_minutes": 30},
    )
    assert answer.status_code == 422
    assert "Give a date and time" in answer.text
    assert not FlashSlot.objects.exists()


def test_booking_from_the_page_then_downloading_the_invitation(
    slot: FlashSlot, member: User
) -> None:
    client = browser(member)
    booked = client.post(f"/mentoring/flash/slots/{slot.pk}/book/", follow=True)
    assert booked.status_code == 200
    assert "My bookings" in booked.text
    again = client.post(f"/mentoring/flash/slots/{slot.pk}/book/", headers={"HX-Request": "true"})
    assert again.status_code == 409
    assert "just been taken" in again.text
    download = client.get(f"/mentoring/flash/slots/{slot.pk}/invitation.ics")
    assert download["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(download.content)
    assert str(calendar["METHOD"]) == "REQUEST"
    (event,) = calendar.walk("VEVENT")
    assert int(event["SEQUENCE"]) == 1


def test_an_unrelated_member_gets_404_on_every_page_and_endpoint(
    programme: Programme, slot: FlashSlot, member: User, other_user: User
) -> None:
    booking = booking_create(actor=member, slot_id=slot.pk)
    client = browser(other_user)
    assert client.get(f"/mentoring/flash/programmes/{programme.pk}/").status_code == 404
    assert client.get(f"/mentoring/flash/slots/{slot.pk}/invitation.ics").status_code == 404
    for path in (
        f"/mentoring/flash/programmes/{programme.pk}/slots/",
        f"/mentoring/flash/slots/{slot.pk}/book/",
        f"/mentoring/flash/slots/{slot.pk}/reschedule/",
        f"/mentoring/flash/slots/{slot.pk}/cancel/",
        f"/mentoring/flash/bookings/{booking.pk}/cancel/",
    ):
        answer = client.post(path, {"starts_at": f"{YEAR}-02-01T09:00", "duration_minutes": 30})
        assert answer.status_code == 404, path
    api = HttpsClient(headers=bearer(other_user))
    for path in (
        f"{API}/programmes/{programme.pk}/slots",
        f"{API}/slots/{slot.pk}",
        f"{API}/slots/{slot.pk}/invitation.ics",
    ):
        assert api.get(path).status_code == 404, path
    body = {"starts_at": f"{YEAR}-02-01T09:00:00", "duration_minutes": 30}
    for path in (
        f"{API}/programmes/{programme.pk}/slots",
        f"{API}/slots/{slot.pk}/reschedule",
        f"{API}/slots/{slot.pk}/cancel",
        f"{API}/slots/{slot.pk}/bookings",
        f"{API}/bookings/{booking.pk}/cancel",
    ):
        assert api.post(path, body, content_type="application/json").status_code == 404, path
    assert api.get(f"{API}/bookings").json() == []
    booking.refresh_from_db()
    assert booking.status == "booked"


def test_the_api_flow_publish_book_conflict_move_cancel(
    programme: Programme, mentor: User, member: User
) -> None:
    as_mentor = HttpsClient(headers=bearer(mentor))
    as_member = HttpsClient(headers=bearer(member))
    published = as_mentor.post(
        f"{API}/programmes/{programme.pk}/slots",
        {"starts_at": f"{YEAR}-03-10T18:00:00", "duration_minutes": 20},
        content_type="application/json",
    )
    assert published.status_code == 201, published.json()
    slot = published.json()
    assert slot["time_zone"] == "Asia/Kolkata"
    assert slot["starts_at"].startswith(f"{YEAR}-03-10T12:30:00")
    listed = as_member.get(f"{API}/programmes/{programme.pk}/slots").json()
    assert [s["id"] for s in listed] == [slot["id"]]
    booked = as_member.post(f"{API}/slots/{slot['id']}/bookings")
    assert booked.status_code == 201
    assert booked.json()["slot"]["status"] == "booked"
    rival = enrol(programme, "mentee")
    taken = HttpsClient(headers=bearer(rival)).post(f"{API}/slots/{slot['id']}/bookings")
    assert taken.status_code == 409
    assert [b["id"] for b in as_member.get(f"{API}/bookings").json()] == [booked.json()["id"]]
    moved = as_mentor.post(
        f"{API}/slots/{slot['id']}/reschedule",
        {"starts_at": f"{YEAR}-03-11T18:00:00", "duration_minutes": 20},
        content_type="application/json",
    )
    assert moved.json()["calendar_sequence"] == 2
    assert moved.json()["booked_by_id"] == member.pk
    ics = as_member.get(f"{API}/slots/{slot['id']}/invitation.ics")
    assert ics["Content-Type"].startswith("text/calendar")
    assert b"SEQUENCE:2" in ics.content
    cancelled = as_member.post(f"{API}/bookings/{booked.json()['id']}/cancel")
    assert cancelled.json()["status"] == "cancelled"
    assert cancelled.json()["slot"]["status"] == "open"
    gone = as_mentor.post(f"{API}/slots/{slot['id']}/cancel")
    assert gone.json()["status"] == "cancelled"
    assert gone.json()["calendar_sequence"] == 4


def test_the_board_runs_a_bounded_number_of_queries(
    programme: Programme, mentor: User, member: User, django_assert_max_num_queries: Any
) -> None:
    def add_slots(day: int) -> None:
        for hour in (8, 9, 10):
            slot_publish(
                actor=mentor,
                programme_id=programme.pk,
                starts_at=datetime(YEAR, 5, day, hour, 0),  # wall-clock
                duration_minutes=30,
            )

    add_slots(1)
    booking_create(actor=member, slot_id=FlashSlot.objects.first().pk)  # type: ignore[union-attr]  # created above
    clients = [browser(member), browser(mentor)]
    path = f"/mentoring/flash/programmes/{programme.pk}/"
    for client in clients:
        client.get(path)
        with django_assert_max_num_queries(11):
            assert client.get(path).status_code == 200
    add_slots(2)
    add_slots(3)
    slots = FlashSlot.objects.filter(status="open")
    for slot in slots[:3]:
        booking_create(actor=enrol(programme, "mentee"), slot_id=slot.pk)
    assert FlashBooking.objects.count() == 4
    for client in clients:
        with django_assert_max_num_queries(11):
            assert client.get(path).status_code == 200


def test_the_programme_page_links_participants_to_the_flash_board(
    programme: Programme, member: User
) -> None:
    page = browser(member).get(f"/mentoring/programmes/{programme.pk}/")
    assert f"/mentoring/flash/programmes/{programme.pk}/" in page.text


def test_the_flash_programme_page_claims_no_meeting_cadence(
    programme: Programme, member: User
) -> None:
    ongoing = ProgrammeFactory(format="one_on_one", meeting_every_days=14)

    flash_page = browser(member).get(f"/mentoring/programmes/{programme.pk}/").text
    ongoing_page = browser(member).get(f"/mentoring/programmes/{ongoing.pk}/").text

    assert "meets every" not in flash_page
    assert "one-off conversations booked from mentors’ slots" in flash_page
    assert "meets every 14 days" in ongoing_page
    assert "one-off conversations" not in ongoing_page


def _hide_location(person: User) -> None:
    Profile.objects.filter(user=person).update(location_visibility="private")


def test_a_mentor_who_hides_their_location_hides_their_zone_from_the_board_and_api(
    programme: Programme, slot: FlashSlot, mentor: User, member: User
) -> None:
    _hide_location(mentor)

    page = browser(member).get(f"/mentoring/flash/programmes/{programme.pk}/").text
    listed = HttpsClient(headers=bearer(member)).get(f"{API}/programmes/{programme.pk}/slots")
    one = HttpsClient(headers=bearer(member)).get(f"{API}/slots/{slot.pk}").json()

    assert f"1 Jun {YEAR}, 06:30–07:00" in page  # the viewer's own zone still drives the times
    assert "Kolkata" not in page
    assert [item["time_zone"] for item in listed.json()] == [None]
    assert one["time_zone"] is None


def test_the_mentor_still_reads_their_own_hidden_zone(
    programme: Programme, slot: FlashSlot, mentor: User
) -> None:
    _hide_location(mentor)

    mine = HttpsClient(headers=bearer(mentor)).get(f"{API}/slots/{slot.pk}").json()

    assert mine["time_zone"] == "Asia/Kolkata"


def test_a_booking_does_not_send_the_hidden_zone_to_the_member(
    slot: FlashSlot, mentor: User, member: User, django_capture_on_commit_callbacks: Any
) -> None:
    from django.core import mail

    _hide_location(mentor)
    with django_capture_on_commit_callbacks(execute=True):
        booking = booking_create(actor=member, slot_id=slot.pk)
    api = HttpsClient(headers=bearer(member))

    to_member = [m for m in mail.outbox if m.to == [member.email]]
    (invitation,) = [m for m in to_member if m.attachments]
    to_mentor = next(m for m in mail.outbox if m.to == [mentor.email] and m.attachments)
    ics = api.get(f"{API}/slots/{slot.pk}/invitation.ics").content.decode()
    bookings = api.get(f"{API}/bookings").json()

    assert all("Kolkata" not in m.body for m in to_member)
    assert "Kolkata" not in invitation.attachments[0][1]
    assert "Asia/Kolkata" in to_mentor.body
    assert "Kolkata" not in ics
    assert [item["slot"]["time_zone"] for item in bookings] == [None]
    assert booking.status == "booked"


@pytest.mark.parametrize("starts_at", ["9999-12-31T23:59Z", "0001-01-01T00:00+14:00"])
def test_a_slot_at_the_ends_of_the_calendar_is_a_field_error_in_the_api(
    programme: Programme, mentor: User, starts_at: str
) -> None:
    answer = HttpsClient(headers=bearer(mentor)).post(
        f"{API}/programmes/{programme.pk}/slots",
        {"starts_at": starts_at, "duration_minutes": 30},
        content_type="application/json",
    )

    assert answer.status_code == 422
    assert answer.json()["extra"]["fields"]["starts_at"] == [
        "Choose a time between now and 9999-12-30."
    ]
    assert not FlashSlot.objects.exists()


@pytest.mark.parametrize("starts_at", ["9999-12-31T23:59", "0001-01-01T00:00"])
def test_a_slot_at_the_ends_of_the_calendar_is_a_field_error_on_the_page(
    programme: Programme, mentor: User, starts_at: str
) -> None:
    answer = browser(mentor).post(
        f"/mentoring/flash/programmes/{programme.pk}/slots/",
        {"starts_at": starts_at, "duration_minutes": 30},
    )

    assert answer.status_code == 422
    assert "Choose a time between now and 9999-12-30." in answer.text
    assert not FlashSlot.objects.exists()


def test_another_mentors_slot_answers_404_to_every_change_and_download(
    programme: Programme, slot: FlashSlot, member: User
) -> None:
    """Participants see the slot on the board, but one they may not act on answers 404, as
    every other foreign object does (never 403)."""
    other_mentor = enrol(programme, "mentor", first_name="Olu", last_name="Other")
    for person in (other_mentor, member):  # a mentor of the same programme; a member not booked
        client = browser(person)
        assert client.get(f"/mentoring/flash/slots/{slot.pk}/invitation.ics").status_code == 404
        for path in (
            f"/mentoring/flash/slots/{slot.pk}/reschedule/",
            f"/mentoring/flash/slots/{slot.pk}/cancel/",
        ):
            body = {"starts_at": f"{YEAR}-02-01T09:00", "duration_minutes": 30}
            assert client.post(path, body).status_code == 404, path
            assert client.post(path, body, headers={"HX-Request": "true"}).status_code == 404
        api = HttpsClient(headers=bearer(person))
        assert api.get(f"{API}/slots/{slot.pk}/invitation.ics").status_code == 404
        body = {"starts_at": f"{YEAR}-02-01T09:00:00", "duration_minutes": 30}
        for path in (f"{API}/slots/{slot.pk}/reschedule", f"{API}/slots/{slot.pk}/cancel"):
            answer = api.post(path, body, content_type="application/json")
            assert answer.status_code == 404, path
            assert answer.json()["message"] == "No such slot."
    slot.refresh_from_db()
    assert (slot.status, slot.calendar_sequence) == ("open", 0)


def test_a_slot_outside_the_programmes_dates_is_a_field_error_on_the_page(
    programme: Programme, mentor: User
) -> None:
    answer = browser(mentor).post(
        f"/mentoring/flash/programmes/{programme.pk}/slots/",
        {"starts_at": f"{YEAR + 1}-01-01T10:00", "duration_minutes": 30},
    )

    assert answer.status_code == 422
    assert f"Choose a time between {programme.starts_on:%Y-%m-%d} and {YEAR}-12-31." in answer.text
    assert not FlashSlot.objects.exists()


def test_a_slot_outside_the_programmes_dates_is_a_422_in_the_api(
    programme: Programme, mentor: User, slot: FlashSlot
) -> None:
    api = HttpsClient(headers=bearer(mentor))
    published = api.post(
        f"{API}/programmes/{programme.pk}/slots",
        {"starts_at": f"{YEAR + 1}-01-01T10:00:00", "duration_minutes": 30},
        content_type="application/json",
    )
    moved = api.post(
        f"{API}/slots/{slot.pk}/reschedule",
        {"starts_at": f"{YEAR + 1}-01-01T10:00:00", "duration_minutes": 30},
        content_type="application/json",
    )

    window = f"Choose a time between {programme.starts_on:%Y-%m-%d} and {YEAR}-12-31."
    for answer in (published, moved):
        assert answer.status_code == 422
        assert answer.json()["extra"]["fields"]["starts_at"] == [window]
    assert list(FlashSlot.objects.values_list("pk", flat=True)) == [slot.pk]
    slot.refresh_from_db()
    assert slot.starts_at.year == YEAR


def test_moving_a_slot_outside_the_programmes_dates_says_why_on_the_page(
    programme: Programme, mentor: User, slot: FlashSlot
) -> None:
    answer = browser(mentor).post(
        f"/mentoring/flash/slots/{slot.pk}/reschedule/",
        {"starts_at": f"{YEAR + 1}-01-01T10:00", "duration_minutes": 30},
    )

    assert answer.status_code == 422
    assert f"between {programme.starts_on:%Y-%m-%d} and {YEAR}-12-31" in answer.text
    slot.refresh_from_db()
    assert slot.starts_at.year == YEAR


def test_the_meeting_link_is_shown_to_the_mentor_and_the_booker_only(
    programme: Programme, mentor: User, member: User
) -> None:
    link = "https://meet.example.org/flash-7"
    published = browser(mentor).post(
        f"/mentoring/flash/programmes/{programme.pk}/slots/",
        {
            "starts_at": f"{YEAR}-06-03T10:00",
            "duration_minutes": 30,
            "meeting_link": link,
            "location": "Room 3",
        },
    )
    assert published.status_code == 302
    slot = FlashSlot.objects.get()
    assert (slot.meeting_link, slot.location) == (link, "Room 3")
    other = enrol(programme, "mentee")

    seen_before = HttpsClient(headers=bearer(member)).get(f"{API}/slots/{slot.pk}").json()
    booking_create(actor=member, slot_id=slot.pk)
    seen_by_booker = HttpsClient(headers=bearer(member)).get(f"{API}/slots/{slot.pk}").json()
    seen_by_mentor = HttpsClient(headers=bearer(mentor)).get(f"{API}/slots/{slot.pk}").json()
    seen_by_other = HttpsClient(headers=bearer(other)).get(f"{API}/slots/{slot.pk}").json()
    bookings = HttpsClient(headers=bearer(member)).get(f"{API}/bookings").json()

    assert (seen_before["meeting_link"], seen_before["location"]) == ("", "")
    assert (seen_by_other["meeting_link"], seen_by_other["location"]) == ("", "")
    for seen in (seen_by_booker, seen_by_mentor, bookings[0]["slot"]):
        assert (seen["meeting_link"], seen["location"]) == (link, "Room 3")
    assert link in browser(member).get(f"/mentoring/flash/programmes/{programme.pk}/").text
    assert link in browser(mentor).get(f"/mentoring/flash/programmes/{programme.pk}/").text
    assert link not in browser(other).get(f"/mentoring/flash/programmes/{programme.pk}/").text


def test_the_api_publishes_a_slot_with_its_meeting_link(programme: Programme, mentor: User) -> None:
    answer = HttpsClient(headers=bearer(mentor)).post(
        f"{API}/programmes/{programme.pk}/slots",
        {
            "starts_at": f"{YEAR}-06-03T10:00:00",
            "duration_minutes": 30,
            "meeting_link": "https://meet.example.org/x",
            "location": "Room 4",
        },
        content_type="application/json",
    )
    refused = HttpsClient(headers=bearer(mentor)).post(
        f"{API}/programmes/{programme.pk}/slots",
        {"starts_at": f"{YEAR}-06-04T10:00:00", "meeting_link": "javascript:alert(1)"},
        content_type="application/json",
    )

    assert answer.status_code == 201
    assert answer.json()["meeting_link"] == "https://meet.example.org/x"
    assert answer.json()["location"] == "Room 4"
    assert refused.status_code == 422
    assert "meeting_link" in refused.json()["extra"]["fields"]
