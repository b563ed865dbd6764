from __future__ import annotations

import pytest
from django.core import mail
from django.db import transaction

from impactcircle.core.tasks import enqueue_on_commit, send_email

pytestmark = pytest.mark.django_db

MESSAGE = {"subject": "Hello", "body": "Welcome", "to": ["ana@example.com"], "from_email": None}


def test_a_task_enqueued_on_commit_runs_after_the_commit(
    django_capture_on_commit_callbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        enqueue_on_commit(send_email, **MESSAGE)
        assert mail.outbox == []

    assert [message.subject for message in mail.outbox] == ["Hello"]


def test_a_task_enqueued_in_a_rolled_back_transaction_never_runs(
    django_capture_on_commit_callbacks,
) -> None:
    def failing_change() -> None:
        with transaction.atomic():
            enqueue_on_commit(send_email, **MESSAGE)
            raise ValueError("validation failed")

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(ValueError, match="validation failed"),
    ):
        failing_change()

    assert callbacks == []
    assert mail.outbox == []


def test_send_email_attaches_the_html_alternative() -> None:
    result = send_email.enqueue(**MESSAGE, html="<p>Welcome</p>")

    assert result.return_value == 1
    assert mail.outbox[0].alternatives[0].content == "<p>Welcome</p>"


def test_send_email_adds_extra_headers() -> None:
    headers = {"List-Unsubscribe": "<https://testserver/u/1/>"}

    send_email.enqueue(**MESSAGE, headers=headers)

    assert mail.outbox[0].extra_headers == headers
    assert mail.outbox[0].message()["List-Unsubscribe"] == "<https://testserver/u/1/>"
