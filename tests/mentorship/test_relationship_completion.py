"""Completing a relationship takes both sides (issue 10, finding 7): one member asks, another
confirms; the asker may withdraw before that. Runs on SQLite and, with DATABASE_URL, PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.test import Client
from tests.conftest import HttpsClient
from tests.factories import ProgrammeFactory, RelationshipFactory, UserFactory, bearer

from impactcircle.accounts.models import User
from impactcircle.core.errors import Conflict
from impactcircle.core.models import AuditEvent, OutboxEvent
from impactcircle.mentorship.models import Relationship
from impactcircle.mentorship.relationships import services
from impactcircle.mentorship.relationships.services import (
    relationship_complete,
    relationship_finish,
)
from impactcircle.notifications.models import Notification

pytestmark = pytest.mark.django_db

BASE = "/api/v1/mentoring/relationships"
ASKED = "asked to mark your mentoring"
COMPLETED = "is completed"


@pytest.fixture
def manager(db: None) -> User:
    return UserFactory(email="maya@example.com", first_name="Maya", last_name="Manager")


@pytest.fixture
def mentee(db: None) -> User:
    return UserFactory(email="tomo@example.com", first_name="Tomo", last_name="Tanaka")


@pytest.fixture
def pair(user: User, mentee: User, manager: User) -> Relationship:
    return RelationshipFactory(
        programme=ProgrammeFactory(managers=[manager]), mentor=user, mentees=[mentee]
    )


def _client(person: User) -> Client:
    client = HttpsClient()
    client.force_login(person)
    return client


def _fresh(relationship: Relationship) -> Relationship:
    return Relationship.objects.get(pk=relationship.pk)


def _finished_events() -> int:
    return OutboxEvent.objects.filter(name="mentorship.relationship_finished").count()


# --- The service ------------------------------------------------------------------------------


def test_one_members_completion_leaves_it_active_with_a_request_and_tells_the_other(
    pair: Relationship, user: User, mentee: User
) -> None:
    relationship_finish(actor=user, relationship=pair)

    asked = _fresh(pair)
    assert asked.status == Relationship.Status.ACTIVE
    assert asked.completion_requested_by_id == user.pk
    assert asked.completion_requested_at is not None
    (notice,) = Notification.objects.filter(message__contains=ASKED)
    assert notice.recipient == mentee
    assert notice.message.startswith("Ana Almeida asked")
    assert notice.link == f"/mentoring/relationships/{pair.pk}/"
    assert _finished_events() == 0
    assert AuditEvent.objects.filter(action="mentorship.relationship_completion_requested").exists()


def test_the_other_members_confirmation_completes_it(
    pair: Relationship, user: User, mentee: User
) -> None:
    relationship_finish(actor=user, relationship=pair)
    relationship_finish(actor=mentee, relationship=pair)

    done = _fresh(pair)
    assert done.status == Relationship.Status.COMPLETED
    assert done.ended_on is not None
    (notice,) = Notification.objects.filter(message__contains=COMPLETED)
    assert notice.recipient == user
    assert "Tomo Tanaka confirmed Ana Almeida's request" in notice.message
    assert _finished_events() == 1
    assert AuditEvent.objects.filter(action="mentorship.relationship_completed").count() == 1


def test_the_asker_marking_again_does_not_complete_it(pair: Relationship, user: User) -> None:
    relationship_finish(actor=user, relationship=pair)

    with pytest.raises(Conflict):
        relationship_finish(actor=user, relationship=pair)

    assert _fresh(pair).status == Relationship.Status.ACTIVE
    assert _fresh(pair).completion_requested_by_id == user.pk
    assert _finished_events() == 0


def test_the_asker_can_withdraw_and_either_member_can_ask_again(
    pair: Relationship, user: User, mentee: User
) -> None:
    relationship_finish(actor=user, relationship=pair)

    services.relationship_completion_withdraw(actor=user, relationship=pair)

    withdrawn = _fresh(pair)
    assert withdrawn.status == Relationship.Status.ACTIVE
    assert withdrawn.completion_requested_by_id is None
    assert withdrawn.completion_requested_at is None
    assert Notification.objects.filter(recipient=mentee, message__contains="withdrew").exists()

    relationship_finish(actor=mentee, relationship=pair)  # asks anew: does not complete
    assert _fresh(pair).status == Relationship.Status.ACTIVE
    assert _fresh(pair).completion_requested_by_id == mentee.pk


def test_only_the_asker_can_withdraw(pair: Relationship, user: User, mentee: User) -> None:
    with pytest.raises(Conflict):
        services.relationship_completion_withdraw(actor=user, relationship=pair)  # nothing asked
    relationship_finish(actor=user, relationship=pair)

    with pytest.raises(Conflict):
        services.relationship_completion_withdraw(actor=mentee, relationship=pair)

    assert _fresh(pair).completion_requested_by_id == user.pk


def test_a_second_confirmation_after_the_first_completes_exactly_once(
    user: User, mentee: User, manager: User
) -> None:
    """Two members confirming at the same moment: the row lock makes the second wait and then
    find it completed. Run in sequence, the second confirmation is a Conflict and nothing is
    announced twice."""
    second_mentee = UserFactory(first_name="Sol", last_name="Silva")
    circle = RelationshipFactory(
        programme=ProgrammeFactory(managers=[manager]),
        mentor=user,
        mentees=[mentee, second_mentee],
        is_circle=True,
    )
    relationship_finish(actor=user, relationship=circle)

    relationship_finish(actor=mentee, relationship=circle)
    with pytest.raises(Conflict):
        relationship_finish(actor=second_mentee, relationship=circle)

    assert _fresh(circle).status == Relationship.Status.COMPLETED
    assert _finished_events() == 1
    assert AuditEvent.objects.filter(action="mentorship.relationship_completed").count() == 1
    told = Notification.objects.filter(message__contains=COMPLETED)
    assert sorted(notice.recipient_id for notice in told) == sorted([user.pk, second_mentee.pk])


def test_a_relationship_without_a_request_still_completes_directly(
    pair: Relationship, user: User
) -> None:
    """Publishing, scripts and rows from before the change: `relationship_complete` as it was."""
    relationship_complete(relationship=pair, actor=user)

    assert _fresh(pair).status == Relationship.Status.COMPLETED


def test_ending_early_drops_a_pending_request(pair: Relationship, user: User, mentee: User) -> None:
    relationship_finish(actor=user, relationship=pair)

    relationship_finish(actor=mentee, relationship=pair, reason="Moved abroad")

    ended = _fresh(pair)
    assert ended.status == Relationship.Status.ENDED_EARLY
    assert ended.completion_requested_by_id is None


# --- The page ---------------------------------------------------------------------------------


def test_the_page_asks_then_shows_the_request_and_the_other_confirms(
    pair: Relationship, user: User, mentee: User
) -> None:
    url = f"/mentoring/relationships/{pair.pk}/complete/"
    mine = _client(user)

    asking = mine.post(url)
    assert asking.status_code == 200  # the confirm step stays
    assert "asks the other members to confirm" in asking.text
    assert _fresh(pair).completion_requested_by_id is None

    assert mine.post(url, {"confirm": "yes"}).status_code == 302
    assert _fresh(pair).status == Relationship.Status.ACTIVE
    Relationship.objects.filter(pk=pair.pk).update(
        completion_requested_at=datetime(2026, 12, 2, 10, 0, tzinfo=UTC)
    )
    own_page = mine.get(f"/mentoring/relationships/{pair.pk}/")
    assert "You asked to mark this completed on 2 Dec" in own_page.text
    assert "Withdraw my request" in own_page.text

    theirs = _client(mentee)
    page = theirs.get(f"/mentoring/relationships/{pair.pk}/")
    assert "Ana Almeida asked to mark this completed on 2 Dec — confirm?" in page.text
    confirming = theirs.post(url)
    assert "Ana Almeida asked to mark this relationship completed" in confirming.text
    assert "cannot be undone" in confirming.text

    assert theirs.post(url, {"confirm": "yes"}).status_code == 302
    assert _fresh(pair).status == Relationship.Status.COMPLETED


def test_the_page_marking_again_does_not_complete_and_withdraw_works(
    pair: Relationship, user: User
) -> None:
    url = f"/mentoring/relationships/{pair.pk}/complete/"
    mine = _client(user)
    mine.post(url, {"confirm": "yes"})

    again = mine.post(url, {"confirm": "yes"})
    assert again.status_code == 422
    assert "already asked" in again.text
    assert _fresh(pair).status == Relationship.Status.ACTIVE

    withdrawn = mine.post(f"/mentoring/relationships/{pair.pk}/complete-withdraw/")
    assert withdrawn.status_code == 302
    assert _fresh(pair).completion_requested_by_id is None


def test_an_unrelated_user_gets_404_from_the_page_actions(
    pair: Relationship, user: User, other_user: User
) -> None:
    relationship_finish(actor=user, relationship=pair)
    outsider = _client(other_user)

    for action in ("complete", "complete-withdraw"):
        response = outsider.post(
            f"/mentoring/relationships/{pair.pk}/{action}/", {"confirm": "yes"}
        )
        assert response.status_code == 404, action
    assert _fresh(pair).status == Relationship.Status.ACTIVE
    assert _fresh(pair).completion_requested_by_id == user.pk


# --- The API ----------------------------------------------------------------------------------


def test_the_api_asks_then_the_other_member_completes(
    client: Client, pair: Relationship, user: User, mentee: User
) -> None:
    path = f"{BASE}/{pair.pk}/complete"

    asked = client.post(path, headers=bearer(user))
    assert asked.status_code == 200
    assert asked.json()["status"] == "active"
    assert asked.json()["completion_requested_by_id"] == user.pk
    assert asked.json()["completion_requested_at"] is not None
    seen = client.get(f"{BASE}/{pair.pk}", headers=bearer(mentee)).json()
    assert seen["completion_requested_by_id"] == user.pk

    again = client.post(path, headers=bearer(user))
    assert again.status_code == 409
    assert _fresh(pair).status == Relationship.Status.ACTIVE

    done = client.post(path, headers=bearer(mentee))
    assert done.status_code == 200
    assert done.json()["status"] == "completed"
    assert done.json()["completion_requested_by_id"] is None
    assert client.post(path, headers=bearer(mentee)).status_code == 409
    assert _finished_events() == 1


def test_the_api_withdraws_a_request(
    client: Client, pair: Relationship, user: User, mentee: User
) -> None:
    client.post(f"{BASE}/{pair.pk}/complete", headers=bearer(user))
    path = f"{BASE}/{pair.pk}/complete/withdraw"

    assert client.post(path, headers=bearer(mentee)).status_code == 409
    withdrawn = client.post(path, headers=bearer(user))

    assert withdrawn.status_code == 200
    assert withdrawn.json()["status"] == "active"
    assert withdrawn.json()["completion_requested_by_id"] is None
    assert withdrawn.json()["completion_requested_at"] is None


def test_an_unrelated_user_gets_404_from_the_api(
    client: Client, pair: Relationship, user: User, other_user: User
) -> None:
    client.post(f"{BASE}/{pair.pk}/complete", headers=bearer(user))

    for path in (f"{BASE}/{pair.pk}/complete", f"{BASE}/{pair.pk}/complete/withdraw"):
        response = client.post(path, headers=bearer(other_user))
        assert response.status_code == 404, path
    assert _fresh(pair).status == Relationship.Status.ACTIVE
    assert _fresh(pair).completion_requested_by_id == user.pk
