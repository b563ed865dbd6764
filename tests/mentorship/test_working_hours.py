"""Working hours on a programme application: asked in the person's own time zone, stored in UTC
(issue 10). The offset is the one on the programme's first day, so each test picks its dates."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from tests.factories import ApplicationFactory, ProgrammeFactory

from impactcircle.accounts.models import User
from impactcircle.engine.matching.features import hour_mask
from impactcircle.mentorship.models import Application, Programme
from impactcircle.people.models import Profile

pytestmark = pytest.mark.django_db


def _programme_in(month: int) -> Programme:
    """A programme whose enrolment is open today and which runs in `month` of next year."""
    year = date.today().year + 1
    return ProgrammeFactory(starts_on=date(year, month, 15), ends_on=date(year, month, 28))


def _zone(user: User, name: str) -> None:
    Profile.objects.filter(user=user).update(time_zone=name)


def _apply(client: Client, programme: Programme, start: int, end: int) -> Application:
    response = client.post(
        f"/mentoring/programmes/{programme.pk}/apply/mentee/",
        {"mentee-work_start_hour": start, "mentee-work_end_hour": end},
    )
    assert response.status_code == 302, response.content.decode()
    return Application.objects.get(programme=programme, side="mentee")


def test_a_berlin_member_entering_8_to_17_is_stored_as_7_to_16_utc_in_winter(
    signed_in_client: Client, user: User
) -> None:
    _zone(user, "Europe/Berlin")
    application = _apply(signed_in_client, _programme_in(1), 8, 17)
    assert (application.work_start_hour_utc, application.work_end_hour_utc) == (7, 16)


def test_the_same_hours_in_a_berlin_summer_are_6_to_15_utc(
    signed_in_client: Client, user: User
) -> None:
    _zone(user, "Europe/Berlin")
    application = _apply(signed_in_client, _programme_in(7), 8, 17)
    assert (application.work_start_hour_utc, application.work_end_hour_utc) == (6, 15)


def test_the_form_labels_name_the_persons_zone(signed_in_client: Client, user: User) -> None:
    _zone(user, "Europe/Berlin")
    page = signed_in_client.get(f"/mentoring/programmes/{_programme_in(1).pk}/").content.decode()
    assert "I work from (hour, Europe/Berlin)" in page
    assert "until (hour, Europe/Berlin)" in page
    assert "UTC)" not in page


def test_a_member_without_a_valid_zone_is_asked_in_utc(
    signed_in_client: Client, user: User
) -> None:
    _zone(user, "Nowhere/Land")
    programme = _programme_in(1)
    page = signed_in_client.get(f"/mentoring/programmes/{programme.pk}/").content.decode()
    assert "I work from (hour, UTC)" in page
    application = _apply(signed_in_client, programme, 8, 17)
    assert (application.work_start_hour_utc, application.work_end_hour_utc) == (8, 17)


def test_applying_again_shows_the_stored_hours_in_local_time(
    signed_in_client: Client, user: User
) -> None:
    _zone(user, "Europe/Berlin")
    programme = _programme_in(1)
    ApplicationFactory(
        programme=programme,
        user=user,
        status="withdrawn",
        work_start_hour_utc=7,
        work_end_hour_utc=16,
    )
    page = signed_in_client.get(f"/mentoring/programmes/{programme.pk}/").content.decode()
    assert 'name="mentee-work_start_hour" value="8"' in page
    assert 'name="mentee-work_end_hour" value="17"' in page


def test_a_tokyo_evening_wraps_past_midnight_in_utc(signed_in_client: Client, user: User) -> None:
    _zone(user, "Asia/Tokyo")
    application = _apply(signed_in_client, _programme_in(1), 7, 17)
    stored = (application.work_start_hour_utc, application.work_end_hour_utc)
    assert stored == (22, 8)
    # The engine reads end < start as a window past midnight: 22:00–08:00 UTC, ten hours.
    assert hour_mask(stored) == hour_mask((22, 24)) | hour_mask((0, 8))


@pytest.mark.parametrize(
    ("zone", "month", "local", "utc"),
    [
        ("Asia/Tokyo", 1, (9, 18), (0, 9)),
        ("America/New_York", 1, (9, 17), (14, 22)),
        ("America/New_York", 7, (9, 17), (13, 21)),
        ("Europe/Berlin", 1, (0, 24), (0, 24)),  # all day stays all day, not an empty window
        ("Europe/Berlin", 1, (1, 24), (0, 23)),
        ("Europe/Berlin", 1, (20, 2), (19, 1)),  # a night shift stays a night shift
        ("UTC", 1, (16, 24), (16, 24)),
        ("Asia/Kolkata", 1, (9, 18), (3, 12)),  # +5:30 counts as +6
    ],
)
def test_local_hours_convert_to_utc_and_back(
    zone: str, month: int, local: tuple[int, int], utc: tuple[int, int]
) -> None:
    from impactcircle.mentorship.programmes.working_hours import local_to_utc, utc_to_local

    on = date(2027, month, 15)
    assert local_to_utc(*local, zone=zone, on=on) == utc
    assert utc_to_local(*utc, zone=zone, on=on) == local
    assert bin(hour_mask(utc)).count("1") == bin(hour_mask(local)).count("1")


def test_a_window_that_ends_when_it_starts_is_refused(signed_in_client: Client, user: User) -> None:
    response = signed_in_client.post(
        f"/mentoring/programmes/{_programme_in(1).pk}/apply/mentee/",
        {"mentee-work_start_hour": 8, "mentee-work_end_hour": 8},
    )
    assert response.status_code == 422
    assert "End after you start" in response.content.decode()
    assert not Application.objects.filter(user=user).exists()
