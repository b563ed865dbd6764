"""Long lists on mentorship pages show their first rows and say so (the bounds are lowered here
so that a handful of rows cross them)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from django.test import Client
from django.utils import timezone
from tests.factories import ApplicationFactory, ProgrammeFactory, RelationshipFactory, UserFactory

from impactcircle.accounts.models import User
from impactcircle.core.pagination import first_rows
from impactcircle.mentorship.flash.services import slot_publish
from impactcircle.mentorship.models import MentorRequest, Relationship

pytestmark = pytest.mark.django_db

YEAR = datetime.now(UTC).year + 1


@pytest.fixture
def signed_in(client: Client, user: User) -> Client:
    client.force_login(user)
    return client


def test_first_rows_keeps_the_limit_and_says_whether_there_were_more() -> None:
    assert list(first_rows([1, 2, 3], 2)) == [1, 2]
    assert first_rows([1, 2, 3], 2).has_more
    assert not first_rows([1, 2], 2).has_more
    assert not first_rows([], 2)
    assert len(first_rows(range(10), 3)) == 3


def test_first_rows_reads_one_more_row_in_one_query(
    django_assert_num_queries: object, user: User
) -> None:
    UserFactory.create_batch(3)

    with django_assert_num_queries(1):  # type: ignore[operator]  # pytest-django fixture
        shown = first_rows(User.objects.order_by("pk"), 2)

    assert shown.has_more
    assert [person.pk for person in shown] == list(
        User.objects.order_by("pk").values_list("pk", flat=True)[:2]
    )


def test_the_programme_list_shows_the_newest_and_says_there_are_more(
    signed_in: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("impactcircle.mentorship.programmes.views.PROGRAMMES_SHOWN", 2)
    today = date.today()
    for years in (0, 1, 2):
        ProgrammeFactory(
            name=f"Cohort {2030 - years}", starts_on=today - timedelta(days=365 * years)
        )

    body = signed_in.get("/mentoring/").text

    assert "Cohort 2030" in body
    assert "Cohort 2029" in body
    assert "Cohort 2028" not in body
    assert "Showing the 2 newest programmes open to you." in body


def test_my_relationships_show_active_ones_first_within_the_bound(
    signed_in: Client, user: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("impactcircle.mentorship.relationships.views.RELATIONSHIPS_SHOWN", 2)
    for name, started, status in [
        ("Old but active", 300, "active"),
        ("New but finished", 1, "completed"),
        ("Newer finished", 0, "completed"),
    ]:
        pair = RelationshipFactory(mentor=user, programme=ProgrammeFactory(name=name))
        Relationship.objects.filter(pk=pair.pk).update(
            status=status, started_on=date.today() - timedelta(days=started)
        )

    body = signed_in.get("/mentoring/relationships/").text

    assert "Old but active" in body
    assert "Newer finished" in body
    assert "New but finished" not in body
    assert "Showing 2: the active ones first, then the newest." in body


def test_the_flash_board_shows_the_soonest_open_slots(
    signed_in: Client, user: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("impactcircle.mentorship.flash.selectors.SLOTS_SHOWN", 2)
    programme = ProgrammeFactory(format="flash", ends_on=date(YEAR, 12, 31))  # May is inside
    mentor = UserFactory()
    ApplicationFactory(programme=programme, user=mentor, side="mentor")
    ApplicationFactory(programme=programme, user=user, side="mentee")
    for day, topic in [(3, "Third"), (1, "First"), (2, "Second")]:
        slot_publish(
            actor=mentor,
            programme_id=programme.pk,
            starts_at=datetime(YEAR, 5, day, 10, 0),
            duration_minutes=30,
            topic=topic,
        )

    body = signed_in.get(f"/mentoring/flash/programmes/{programme.pk}/").text

    assert "First" in body
    assert "Second" in body
    assert "Third" not in body
    assert "Showing the 2 soonest open slots" in body


def test_requests_asked_of_a_mentor_show_the_newest(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("impactcircle.mentorship.selection.views.REQUESTS_SHOWN", 1)
    programme = ProgrammeFactory(matching_mode="self_selection")
    mentor = UserFactory()
    ApplicationFactory(programme=programme, user=mentor, side="mentor")
    for name in ("Older", "Newer"):
        mentee = UserFactory(first_name=name, last_name="Mentee")
        ApplicationFactory(programme=programme, user=mentee, side="mentee")
        MentorRequest.objects.create(
            programme=programme,
            mentee=mentee,
            mentor=mentor,
            message=f"{name} asks",
            expires_at=timezone.now() + timedelta(days=7),
        )
    client.force_login(mentor)

    body = client.get(f"/mentoring/programmes/{programme.pk}/mentors/requests/").text

    assert "Newer asks" in body
    assert "Older asks" not in body
    assert "Showing the 1 newest requests asked of you." in body
