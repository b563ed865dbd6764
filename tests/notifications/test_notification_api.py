from __future__ import annotations

import pytest
from django.test import Client
from tests.factories import NotificationFactory, UserFactory

from impactcircle.accounts.models import User
from impactcircle.core.models import AuditEvent
from impactcircle.notifications.models import Notification, NotificationPreference

pytestmark = pytest.mark.django_db

BASE = "/api/v1/notifications"


def test_the_list_holds_only_ones_own_newest_first(
    signed_in_client: Client, user: User, other_user: User
) -> None:
    NotificationFactory(recipient=user, message="older", actor=other_user)
    NotificationFactory(recipient=user, message="newer")
    NotificationFactory(recipient=other_user, message="theirs")

    body = signed_in_client.get(f"{BASE}/").json()

    assert body["count"] == 2
    assert [item["message"] for item in body["items"]] == ["newer", "older"]
    assert body["items"][1]["actor_name"] == "Ben Berg"
    assert body["items"][0]["read_at"] is None


def test_the_list_filters_unread(signed_in_client: Client, user: User) -> None:
    NotificationFactory(recipient=user, message="new")
    seen = NotificationFactory(recipient=user, message="seen")
    signed_in_client.post(f"{BASE}/{seen.pk}/read")

    body = signed_in_client.get(f"{BASE}/", {"unread": "true"}).json()

    assert [item["message"] for item in body["items"]] == ["new"]


def test_the_list_is_paginated_with_bounded_queries(
    signed_in_client: Client, user: User, django_assert_max_num_queries
) -> None:
    actors = UserFactory.create_batch(3)
    for number in range(120):
        NotificationFactory(recipient=user, actor=actors[number % 3])
    signed_in_client.get(f"{BASE}/unread-count")  # the session's "last seen" write happens here

    with django_assert_max_num_queries(4):  # session, user, count, one page with the actors
        body = signed_in_client.get(f"{BASE}/", {"page_size": 1000}).json()

    assert body["count"] == 120
    assert len(body["items"]) == 100


def test_unread_count_counts_only_ones_own_unread(
    signed_in_client: Client, user: User, other_user: User
) -> None:
    NotificationFactory.create_batch(2, recipient=user)
    NotificationFactory(recipient=other_user)

    assert signed_in_client.get(f"{BASE}/unread-count").json() == {"unread": 2}


def test_mark_read_answers_the_notification(signed_in_client: Client, user: User) -> None:
    notification = NotificationFactory(recipient=user)

    response = signed_in_client.post(f"{BASE}/{notification.pk}/read")

    assert response.status_code == 200
    assert response.json()["read_at"] is not None


def test_someone_elses_notification_answers_404_and_stays_unread(
    signed_in_client: Client, other_user: User
) -> None:
    theirs = NotificationFactory(recipient=other_user)

    response = signed_in_client.post(f"{BASE}/{theirs.pk}/read")

    assert response.status_code == 404
    assert response.json() == {"message": "No such notification.", "extra": {}}
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_mark_all_read_touches_only_ones_own(
    signed_in_client: Client, user: User, other_user: User
) -> None:
    NotificationFactory.create_batch(3, recipient=user)
    NotificationFactory(recipient=other_user)

    assert signed_in_client.post(f"{BASE}/read-all").json() == {"marked_read": 3}
    assert Notification.objects.filter(read_at__isnull=True).count() == 1


def test_preferences_list_every_category_with_its_default(signed_in_client: Client) -> None:
    body = signed_in_client.get(f"{BASE}/preferences").json()

    account = next(item for item in body if item["category"] == "account")
    assert account == {
        "category": "account",
        "label": "Account and security",
        "description": account["description"],
        "delivery": "immediate",
        "default_delivery": "immediate",
        "is_default": True,
    }
    assert {"account", "people"} <= {item["category"] for item in body}


def test_setting_a_preference_changes_only_ones_own_and_is_audited(
    signed_in_client: Client, user: User, other_user: User
) -> None:
    response = signed_in_client.put(
        f"{BASE}/preferences/people", {"delivery": "weekly"}, content_type="application/json"
    )

    assert response.status_code == 200
    assert response.json()["delivery"] == "weekly"
    assert response.json()["is_default"] is False
    assert list(NotificationPreference.objects.values_list("user", "category", "delivery")) == [
        (user.pk, "people", "weekly")
    ]
    event = AuditEvent.objects.get(action="notifications.preference_changed")
    assert event.details == {
        "category": "people", "delivery": "weekly", "previous": "immediate", "via": "settings",
    }  # fmt: skip


def test_an_unknown_category_answers_404(signed_in_client: Client) -> None:
    response = signed_in_client.put(
        f"{BASE}/preferences/gossip", {"delivery": "off"}, content_type="application/json"
    )

    assert response.status_code == 404
    assert set(response.json()) == {"message", "extra"}


def test_an_unknown_delivery_answers_422_with_the_field(signed_in_client: Client) -> None:
    response = signed_in_client.put(
        f"{BASE}/preferences/people", {"delivery": "hourly"}, content_type="application/json"
    )

    assert response.status_code == 422
    assert "delivery" in response.json()["extra"]["fields"]
    assert not NotificationPreference.objects.exists()


def test_the_api_needs_authentication(client: Client, db: None) -> None:
    assert client.get(f"{BASE}/").status_code == 401
    assert client.get(f"{BASE}/unread-count").status_code == 401
    assert (
        client.put(
            f"{BASE}/preferences/people", {"delivery": "off"}, content_type="application/json"
        ).status_code
        == 401
    )
