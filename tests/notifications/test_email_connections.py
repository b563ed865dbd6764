"""An action that emails many people sends them in batches, each over one mail connection."""

from __future__ import annotations

import pytest
from django.core import mail
from tests.factories import UserFactory

from impactcircle.core.tasks import send_emails
from impactcircle.notifications.services import Notice, notify_many

pytestmark = pytest.mark.django_db


def _message(number: int) -> dict[str, object]:
    return {
        "subject": f"Matched {number}",
        "body": "You are matched.",
        "to": [f"person{number}@example.com"],
        "from_email": None,
    }


def test_one_bulk_batch_sends_every_message_over_one_connection(
    counted_connections: list[int],
) -> None:
    result = send_emails.enqueue(messages=[_message(number) for number in range(200)])

    assert result.return_value == 200
    assert counted_connections == [200]
    assert len(mail.outbox) == 200


def test_telling_250_people_opens_one_connection_per_batch_of_100(
    counted_connections: list[int], django_capture_on_commit_callbacks
) -> None:
    people = UserFactory.create_batch(250)

    with django_capture_on_commit_callbacks(execute=True):
        notify_many(
            category="mentoring",
            notices=[Notice(recipient=p, message="You are matched.", link="/") for p in people],
        )

    assert counted_connections == [100, 100, 50]
    assert sorted(message.to[0] for message in mail.outbox) == sorted(p.email for p in people)
