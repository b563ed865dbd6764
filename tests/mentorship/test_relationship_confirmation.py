"""Completing a relationship and ending it early ask first (issue 10, finding 7). Completing
also takes both sides: see test_relationship_completion.py."""

from __future__ import annotations

import pytest
from django.test import Client
from tests.conftest import HttpsClient
from tests.factories import ProgrammeFactory, RelationshipFactory, UserFactory

from impactcircle.accounts.models import User
from impactcircle.mentorship.models import Relationship

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(db: None) -> User:
    return UserFactory(first_name="Mara", last_name="Manager")


def _client(person: User) -> Client:
    client = HttpsClient()
    client.force_login(person)
    return client


@pytest.fixture
def pair(user: User, manager: User) -> Relationship:
    return RelationshipFactory(
        programme=ProgrammeFactory(managers=[manager]), mentor=user, mentees=[UserFactory()]
    )


def test_completing_asks_first(pair: Relationship, user: User) -> None:
    client = _client(user)
    url = f"/mentoring/relationships/{pair.pk}/complete/"

    asked = client.post(url)

    assert asked.status_code == 200
    assert "asks the other members to confirm" in asked.text
    assert 'name="confirm"' in asked.text
    assert Relationship.objects.get(pk=pair.pk).completion_requested_by_id is None

    requested = client.post(url, {"confirm": "yes"})

    assert requested.status_code == 302
    assert Relationship.objects.get(pk=pair.pk).completion_requested_by_id == user.pk

    other = _client(pair.members.exclude(user=user).get().user)
    confirming = other.post(url)

    assert confirming.status_code == 200
    assert "cannot be undone" in confirming.text
    assert 'name="confirm"' in confirming.text
    assert Relationship.objects.get(pk=pair.pk).status == Relationship.Status.ACTIVE

    done = other.post(url, {"confirm": "yes"})

    assert done.status_code == 302
    assert Relationship.objects.get(pk=pair.pk).status == Relationship.Status.COMPLETED


def test_ending_early_asks_first_and_keeps_the_reason(pair: Relationship, user: User) -> None:
    client = _client(user)
    url = f"/mentoring/relationships/{pair.pk}/end-early/"

    asked = client.post(url, {"reason": "Different time zones"})

    assert asked.status_code == 200
    assert "cannot be undone" in asked.text
    assert 'value="Different time zones"' in asked.text
    assert Relationship.objects.get(pk=pair.pk).status == Relationship.Status.ACTIVE

    done = client.post(url, {"reason": "Different time zones", "confirm": "yes"})

    assert done.status_code == 302
    ended = Relationship.objects.get(pk=pair.pk)
    assert ended.status == Relationship.Status.ENDED_EARLY
    assert ended.end_reason == "Different time zones"
