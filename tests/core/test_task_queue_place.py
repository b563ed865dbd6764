"""tasks_ahead: how many tasks a worker takes before a waiting one, in one query."""

from __future__ import annotations

from typing import Any

import pytest
from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from impactcircle.core.task_queue import tasks_ahead
from impactcircle.core.tasks import QUEUES, send_emails
from impactcircle.mentorship.matching.tasks import compute_matching_run

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def database_queue(settings: Any) -> None:
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": list(QUEUES)}
    }


def _interactive() -> str:
    return str(compute_matching_run.enqueue(run_id=0).id)


def _bulk() -> str:
    return str(send_emails.enqueue(messages=[]).id)


def test_the_tasks_queued_earlier_on_the_same_queue_are_ahead(
    django_assert_num_queries: Any,
) -> None:
    first_bulk = _bulk()
    first, second = _interactive(), _interactive()
    second_bulk = _bulk()
    third = _interactive()

    with django_assert_num_queries(1):
        place = tasks_ahead(third)

    assert place == 2  # the bulk tasks are on another queue
    assert [tasks_ahead(first), tasks_ahead(second)] == [0, 1]
    assert [tasks_ahead(first_bulk), tasks_ahead(second_bulk)] == [0, 1]


def test_a_task_of_higher_priority_queued_later_is_ahead() -> None:
    waiting = _interactive()
    urgent = compute_matching_run.using(priority=50).enqueue(run_id=0)

    assert tasks_ahead(waiting) == 1
    assert tasks_ahead(str(urgent.id)) == 0


def test_tasks_already_claimed_are_not_ahead_and_have_no_place() -> None:
    running, waiting = _interactive(), _interactive()
    DBTaskResult.objects.filter(pk=running).update(status=TaskResultStatus.RUNNING)

    assert tasks_ahead(waiting) == 0
    assert tasks_ahead(running) is None


@pytest.mark.parametrize("task_id", ["not-a-uuid", "5b0e6a55-5d2d-4b8e-9a0c-1f2d3e4f5a6b"])
def test_an_unknown_task_has_no_place(task_id: str) -> None:
    _interactive()

    assert tasks_ahead(task_id) is None
