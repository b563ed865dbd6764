"""The admin shows the outbox and each subscriber's deliveries, read-only."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.test import Client

from impactcircle.core.models import EventDelivery, OutboxEvent

pytestmark = pytest.mark.django_db

MOMENT = datetime(2027, 1, 5, 8, 30, tzinfo=UTC)


@pytest.fixture
def event() -> OutboxEvent:
    return OutboxEvent.objects.create(
        name="mentorship.session_confirmed", payload={"session_id": 3}, occurred_at=MOMENT
    )


@pytest.fixture
def failing(event: OutboxEvent) -> EventDelivery:
    return EventDelivery.objects.create(
        event=event,
        subscriber="recognition.award_session_points",
        attempts=3,
        next_attempt_at=MOMENT,
        last_error="RuntimeError: the points ledger is locked",
    )


@pytest.fixture
def handled(event: OutboxEvent) -> EventDelivery:
    return EventDelivery.objects.create(
        event=event, subscriber="insights.count_sessions", attempts=1, handled_at=MOMENT
    )


def test_an_event_page_shows_each_subscribers_delivery_and_error(
    admin_client: Client, event: OutboxEvent, failing: EventDelivery, handled: EventDelivery
) -> None:
    page = admin_client.get(f"/admin/core/outboxevent/{event.pk}/change/", secure=True)

    assert page.status_code == 200
    text = page.content.decode()
    assert "recognition.award_session_points" in text
    assert "the points ledger is locked" in text
    assert "insights.count_sessions" in text


def test_deliveries_filter_by_state(
    admin_client: Client, failing: EventDelivery, handled: EventDelivery
) -> None:
    retrying = admin_client.get("/admin/core/eventdelivery/?state=retrying", secure=True)
    done = admin_client.get("/admin/core/eventdelivery/?state=handled", secure=True)

    assert retrying.status_code == done.status_code == 200
    assert list(retrying.context["cl"].result_list) == [failing]
    assert list(done.context["cl"].result_list) == [handled]
    assert '<td class="field-state_label">retrying after an error</td>' in (
        retrying.content.decode()
    )


def test_the_outbox_cannot_be_added_to_changed_or_deleted_in_the_admin(
    admin_client: Client, event: OutboxEvent, failing: EventDelivery
) -> None:
    for path in ["/admin/core/outboxevent/add/", "/admin/core/eventdelivery/add/"]:
        assert admin_client.get(path, secure=True).status_code == 403
    for path in [
        f"/admin/core/outboxevent/{event.pk}/delete/",
        f"/admin/core/eventdelivery/{failing.pk}/delete/",
    ]:
        assert admin_client.post(path, secure=True).status_code == 403
    admin_client.post(
        f"/admin/core/eventdelivery/{failing.pk}/change/",
        {"attempts": 0, "subscriber": "x"},
        secure=True,
    )
    failing.refresh_from_db()
    assert (failing.attempts, failing.subscriber) == (3, "recognition.award_session_points")
