"""Every task is declared on its queue with that queue's priority (core.tasks)."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator

import pytest
from django.conf import settings
from django.tasks import Task
from django.tasks.signals import task_enqueued
from django.test import Client
from django.urls import reverse

import impactcircle
from impactcircle.accounts.models import SignupPolicy
from impactcircle.core.tasks import (
    BULK,
    INTERACTIVE,
    INTERACTIVE_PRIORITY,
    QUEUE_PRIORITY,
    QUEUES,
    send_email,
)

# Every task of the platform and its queue. A new task is added here on purpose.
EXPECTED_QUEUES = {
    "impactcircle.mentorship.matching.tasks.compute_matching_run": INTERACTIVE,
    "impactcircle.mentorship.matching.tasks.publish_matching_run": INTERACTIVE,
    "impactcircle.core.tasks.send_email": BULK,
    "impactcircle.core.tasks.send_emails": BULK,
    "impactcircle.core.events.tasks.dispatch_events": BULK,
    "impactcircle.core.events.tasks.deliver_events": BULK,
    "impactcircle.core.events.tasks.deliver_due_events": BULK,
    "impactcircle.core.events.tasks.purge_old_events": BULK,
    "impactcircle.core.upkeep.prune_finished_task_results": BULK,
    "impactcircle.core.upkeep.clear_expired_sessions": BULK,
    "impactcircle.core.search.tasks.rebuild_search_documents": BULK,
    "impactcircle.core.search.tasks.rebuild_search_index": BULK,
    "impactcircle.notifications.tasks.send_due_digests": BULK,
    "impactcircle.notifications.tasks.send_digest": BULK,
    "impactcircle.mentorship.relationships.tasks.keep_pairs_alive_daily": BULK,
    "impactcircle.mentorship.selection.tasks.expire_mentor_requests": BULK,
}
NOT_IMPORTED = ("wsgi", "asgi", "__main__")  # start a server or a command when imported


def _platform_tasks() -> Iterator[Task]:
    for module_info in pkgutil.walk_packages(impactcircle.__path__, "impactcircle."):
        if module_info.name.rsplit(".", 1)[-1] in NOT_IMPORTED:
            continue
        module = importlib.import_module(module_info.name)
        for value in vars(module).values():
            if isinstance(value, Task) and value.module_path.startswith(module_info.name + "."):
                yield value


def test_the_backend_declares_the_two_queues_of_core() -> None:
    assert settings.TASKS["default"]["QUEUES"] == list(QUEUES) == [INTERACTIVE, BULK]
    assert QUEUE_PRIORITY[INTERACTIVE] > QUEUE_PRIORITY[BULK]


def test_every_task_is_on_its_queue_with_its_queues_priority() -> None:
    found = {task.module_path: task for task in _platform_tasks()}

    assert {path: task.queue_name for path, task in found.items()} == EXPECTED_QUEUES
    assert {path: task.priority for path, task in found.items()} == {
        path: QUEUE_PRIORITY[queue] for path, queue in EXPECTED_QUEUES.items()
    }


@pytest.mark.django_db
def test_the_email_confirming_a_new_address_goes_on_the_interactive_queue(
    client: Client, django_capture_on_commit_callbacks
) -> None:
    SignupPolicy.objects.create(
        pk=1, mode=SignupPolicy.Mode.RESTRICTED, allowed_domains="example.com"
    )
    enqueued: list[Task] = []

    def record(sender: object, task_result: object, **kwargs: object) -> None:
        enqueued.append(task_result.task)  # type: ignore[attr-defined]

    task_enqueued.connect(record)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            client.post(
                reverse("account_signup"),
                {
                    "email": "new.colleague@example.com",
                    "password1": "a-long-enough-passphrase",
                    "password2": "a-long-enough-passphrase",
                },
            )
    finally:
        task_enqueued.disconnect(record)

    emails = [task for task in enqueued if task.module_path == send_email.module_path]
    assert [(task.queue_name, task.priority) for task in emails] == [
        (INTERACTIVE, INTERACTIVE_PRIORITY)
    ]
