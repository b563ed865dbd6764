"""A manager whose matching run waits for a worker sees how many tasks are ahead of it."""

from __future__ import annotations

from typing import Any

import pytest
from django.http import HttpResponse
from django.tasks import TaskResultStatus
from django.test import Client
from django_tasks_db.models import DBTaskResult
from tests.factories import ProgrammeFactory, UserFactory, bearer

from impactcircle.accounts.models import User
from impactcircle.core.tasks import QUEUES, send_emails
from impactcircle.mentorship.matching.selectors import run_tasks_ahead
from impactcircle.mentorship.matching.services import run_start
from impactcircle.mentorship.matching.tasks import compute_matching_run
from impactcircle.mentorship.models import MatchingRun, Programme

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def database_queue(settings: Any) -> None:
    """Tasks wait in the database queue; no worker runs in these tests."""
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": list(QUEUES)}
    }


@pytest.fixture
def manager(db: None) -> User:
    return UserFactory(first_name="Mara", last_name="Manager")


@pytest.fixture
def programme(manager: User) -> Programme:
    return ProgrammeFactory(managers=[manager])


def _queued_run(manager: User, programme: Programme, capture: Any) -> MatchingRun:
    with capture(execute=True):
        run = run_start(actor=manager, programme=programme)
    return MatchingRun.objects.get(pk=run.pk)


def _page(client: Client, manager: User, run: MatchingRun) -> HttpResponse:
    client.force_login(manager)
    return client.get(f"/mentoring/runs/{run.pk}/?part=progress", headers={"HX-Request": "true"})


def test_the_run_keeps_the_id_of_its_task(
    manager: User, programme: Programme, django_capture_on_commit_callbacks
) -> None:
    run = _queued_run(manager, programme, django_capture_on_commit_callbacks)

    task = DBTaskResult.objects.get(pk=run.task_id)
    assert task.task_path == compute_matching_run.module_path
    assert task.args_kwargs["kwargs"] == {"run_id": run.pk}


def test_the_page_and_the_api_say_how_many_tasks_are_ahead(
    client: Client, manager: User, programme: Programme, django_capture_on_commit_callbacks
) -> None:
    earlier = [compute_matching_run.enqueue(run_id=0) for _ in range(2)]
    send_emails.enqueue(messages=[])  # bulk work: another queue, never ahead of a run
    run = _queued_run(manager, programme, django_capture_on_commit_callbacks)

    page = _page(client, manager, run)
    api = client.get(f"/api/v1/mentoring/runs/{run.pk}", headers=bearer(manager))

    assert "2 tasks ahead of yours in the queue." in page.content.decode()
    assert api.json()["tasks_ahead"] == 2

    DBTaskResult.objects.filter(pk=earlier[0].id).update(status=TaskResultStatus.RUNNING)
    assert "1 task ahead of yours in the queue." in _page(client, manager, run).content.decode()

    DBTaskResult.objects.filter(pk=earlier[1].id).update(status=TaskResultStatus.SUCCESSFUL)
    assert "Yours is next in the queue." in _page(client, manager, run).content.decode()


def test_once_a_worker_runs_it_the_page_shows_its_progress_not_a_place(
    client: Client, manager: User, programme: Programme, django_capture_on_commit_callbacks
) -> None:
    run = _queued_run(manager, programme, django_capture_on_commit_callbacks)
    DBTaskResult.objects.filter(pk=run.task_id).update(status=TaskResultStatus.RUNNING)
    MatchingRun.objects.filter(pk=run.pk).update(
        status=MatchingRun.Status.RUNNING, progress=40, stage="Scoring and solving"
    )

    html = _page(client, manager, run).content.decode()
    api = client.get(f"/api/v1/mentoring/runs/{run.pk}", headers=bearer(manager)).json()

    assert "ahead of yours" not in html
    assert "Scoring and solving" in html
    assert 'value="40"' in html
    assert (api["tasks_ahead"], api["progress"], api["stage"]) == (None, 40, "Scoring and solving")


def test_the_place_of_a_run_takes_one_query(
    manager: User,
    programme: Programme,
    django_capture_on_commit_callbacks,
    django_assert_num_queries: Any,
) -> None:
    for _ in range(30):
        compute_matching_run.enqueue(run_id=0)
    run = _queued_run(manager, programme, django_capture_on_commit_callbacks)

    with django_assert_num_queries(1):
        assert run_tasks_ahead(run) == 30


def test_a_finished_run_has_no_place(
    manager: User, programme: Programme, django_capture_on_commit_callbacks
) -> None:
    run = _queued_run(manager, programme, django_capture_on_commit_callbacks)
    MatchingRun.objects.filter(pk=run.pk).update(status=MatchingRun.Status.DRAFT)
    run.refresh_from_db()

    assert DBTaskResult.objects.get(pk=run.task_id).status == TaskResultStatus.READY
    assert run_tasks_ahead(run) is None
