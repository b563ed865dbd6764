"""`impactcircle worker --queue …`: which queues a worker serves, and the order it claims in."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.tasks import TaskResultStatus
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from impactcircle import cli
from impactcircle.core.management.commands import run_worker
from impactcircle.core.tasks import BULK, INTERACTIVE, QUEUES, send_emails
from impactcircle.mentorship.matching.tasks import compute_matching_run

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": list(QUEUES)}}


@pytest.fixture(autouse=True)
def database_worker(monkeypatch: pytest.MonkeyPatch, settings: Any) -> None:
    """The database backend the worker serves; no heartbeat thread (it has its own tests in
    test_worker_heartbeat_schedule.py)."""
    settings.TASKS = DATABASE_TASKS
    monkeypatch.setattr(run_worker, "_beat_forever", lambda worker_id, stop: None)


@pytest.fixture
def signals_restored() -> Iterator[None]:
    """The worker installs its own SIGINT/SIGTERM handlers; give the test run its own back."""
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    yield
    for sig, handler in saved.items():
        signal.signal(sig, handler)


class RecordedWorker:
    """Stands in for django-tasks-db's Worker: records what it was asked to serve."""

    seen: list[list[str]] = []

    def __init__(self, *, queue_names: list[str], **options: Any) -> None:
        RecordedWorker.seen.append(queue_names)

    def configure_signals(self) -> None:
        pass

    def run(self) -> None:
        pass


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    RecordedWorker.seen = []
    monkeypatch.setattr(db_worker, "Worker", RecordedWorker)
    return RecordedWorker.seen


def test_a_worker_serves_every_queue_by_default(served: list[list[str]]) -> None:
    call_command("run_worker", "--no-reload")

    assert served == [[INTERACTIVE, BULK]]


def test_a_worker_serves_only_the_queues_it_is_given(served: list[list[str]]) -> None:
    call_command("run_worker", "--queue", "bulk", "--no-reload")
    call_command("run_worker", "--queue", "bulk", "--queue", "interactive", "--no-reload")

    assert served == [[BULK], [INTERACTIVE, BULK]]


def test_an_unknown_queue_is_refused(served: list[list[str]]) -> None:
    with pytest.raises(CommandError, match="invalid choice: 'emails'"):
        call_command("run_worker", "--queue", "emails", "--no-reload")

    assert served == []


def test_queue_and_queue_name_together_are_refused(served: list[list[str]]) -> None:
    with pytest.raises(CommandError, match="not both"):
        call_command("run_worker", "--queue", "bulk", "--queue-name", "*", "--no-reload")

    assert served == []


def test_queue_name_still_reaches_other_queues(served: list[list[str]]) -> None:
    call_command("run_worker", "--queue-name", "default", "--no-reload")

    assert served == [["default"]]


def test_impactcircle_run_starts_a_worker_for_both_queues() -> None:
    queues = cli.RUN_WORKER_OPTIONS[1::2]

    assert cli.RUN_WORKER_OPTIONS[0::2] == ["--queue"] * len(queues)
    assert queues == list(QUEUES)


def _work_one(*queues: str) -> None:
    options = [option for queue in queues for option in ("--queue", queue)]
    call_command(
        "run_worker", *options, "--max-tasks", "1", "--interval", "0",
        "--no-startup-delay", "--no-reload", verbosity=0,
    )  # fmt: skip


def _statuses() -> dict[str, list[str]]:
    statuses: dict[str, list[str]] = {}
    for queue, status in DBTaskResult.objects.order_by("enqueued_at").values_list(
        "queue_name", "status"
    ):
        statuses.setdefault(queue, []).append(status)
    return statuses


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("signals_restored")
def test_a_worker_serving_both_queues_claims_interactive_work_before_older_bulk_work() -> None:
    for _ in range(3):
        send_emails.enqueue(messages=[])
    compute_matching_run.enqueue(run_id=0)  # queued last; fails (no such run) once claimed

    _work_one(BULK, INTERACTIVE)

    statuses = _statuses()
    assert statuses[INTERACTIVE] == [TaskResultStatus.FAILED]
    assert statuses[BULK] == [TaskResultStatus.READY] * 3

    _work_one(BULK, INTERACTIVE)

    assert _statuses()[BULK] == [TaskResultStatus.SUCCESSFUL] + [TaskResultStatus.READY] * 2


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("signals_restored")
def test_a_worker_serving_only_bulk_leaves_interactive_work_to_others() -> None:
    compute_matching_run.enqueue(run_id=0)
    send_emails.enqueue(messages=[])

    _work_one(BULK)

    assert _statuses() == {
        INTERACTIVE: [TaskResultStatus.READY],
        BULK: [TaskResultStatus.SUCCESSFUL],
    }
