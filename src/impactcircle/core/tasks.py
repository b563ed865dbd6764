"""Background work shared by every module. Tasks take plain values and ids, never objects.

Two queues (declared once here; `settings.TASKS["default"]["QUEUES"]` lists the same names):

- `INTERACTIVE`: work a person is waiting for (a matching run, publishing a run, an import, the
  email that confirms an address). Its tasks carry `INTERACTIVE_PRIORITY`.
- `BULK`: work nobody watches (emails to many, digests, reindexing, event deliveries), with
  `BULK_PRIORITY`.

Every task names its queue: `@task(queue_name=INTERACTIVE, priority=INTERACTIVE_PRIORITY)` or
`@task(queue_name=BULK, priority=BULK_PRIORITY)`. A worker claims the ready task with the highest
priority first (django-tasks-db orders claims by priority, then age), so a worker serving both
queues always takes interactive work before bulk work.
"""

from __future__ import annotations

from typing import Any

from django.core.mail import EmailMultiAlternatives, mailers
from django.db import transaction
from django.tasks import Task, task

INTERACTIVE = "interactive"
BULK = "bulk"
QUEUES = (INTERACTIVE, BULK)  # the order a worker serving both takes them in
INTERACTIVE_PRIORITY = 10
BULK_PRIORITY = 0
QUEUE_PRIORITY = {INTERACTIVE: INTERACTIVE_PRIORITY, BULK: BULK_PRIORITY}


def interactive(task_to_run: Task[..., Any]) -> Task[..., Any]:
    """The same task on the interactive queue, for one person waiting (e.g. a sign-up email)."""
    return task_to_run.using(queue_name=INTERACTIVE, priority=INTERACTIVE_PRIORITY)


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


@task(queue_name=BULK, priority=BULK_PRIORITY)
def send_emails(*, messages: list[dict[str, Any]]) -> int:
    """Send many messages over one connection (one action that reaches many people).

    Each item holds `send_email`'s keyword arguments.
    """
    return mailers.default.send_messages([_message(**message) for message in messages]) or 0


@task(queue_name=BULK, priority=BULK_PRIORITY)
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
