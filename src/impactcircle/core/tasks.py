"""Background work shared by every module. Tasks take plain values and ids, never objects."""

from __future__ import annotations

from typing import Any

from django.core.mail import EmailMultiAlternatives, mailers
from django.db import transaction
from django.tasks import Task, task


def enqueue_on_commit(task_to_run: Task[..., Any], *args: Any, **kwargs: Any) -> None:
    """Enqueue once the current transaction commits, so a rolled-back change sends nothing."""
    transaction.on_commit(lambda: task_to_run.enqueue(*args, **kwargs))


def _message(
    *,
    subject: str,
    body: str,
    to: list[str],
    from_email: str | None,
    html: str | None = None,
    headers: dict[str, str] | None = None,
    attachments: list[tuple[str, str, str]] | None = None,
) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=subject, body=body, from_email=from_email, to=to, headers=headers
    )
    if html:
        message.attach_alternative(html, "text/html")
    for filename, content, mimetype in attachments or []:  # JSON turns the tuples into lists
        message.attach(filename, content, mimetype)
    return message


@task()
def send_emails(*, messages: list[dict[str, Any]]) -> int:
    """Send many messages over one connection (one action that reaches many people).

    Each item holds `send_email`'s keyword arguments.
    """
    return mailers.default.send_messages([_message(**message) for message in messages]) or 0


@task()
def send_email(
    *,
    subject: str,
    body: str,
    to: list[str],
    from_email: str | None,
    html: str | None = None,
    headers: dict[str, str] | None = None,
    attachments: list[tuple[str, str, str]] | None = None,
) -> int:
    """Send one message; the worker retries nothing itself, failures land in the task result.

    `headers` adds extra message headers, e.g. `List-Unsubscribe` (RFC 2369 / RFC 8058).
    `attachments` are `(filename, text content, mimetype)`, e.g. a calendar invitation.
    """
    return _message(
        subject=subject,
        body=body,
        to=to,
        from_email=from_email,
        html=html,
        headers=headers,
        attachments=attachments,
    ).send()
