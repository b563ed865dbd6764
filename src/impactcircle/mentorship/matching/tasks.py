"""Background work of the mentorship module. Tasks take ids, never objects."""

from __future__ import annotations

from django.tasks import task

from impactcircle.core.tasks import INTERACTIVE, INTERACTIVE_PRIORITY
from impactcircle.mentorship.matching.compute import run_compute
from impactcircle.mentorship.matching.publishing import run_publish_execute


@task(queue_name=INTERACTIVE, priority=INTERACTIVE_PRIORITY)
def compute_matching_run(*, run_id: int) -> dict[str, object]:
    run = run_compute(run_id)
    return {"run_id": run.pk, "status": run.status}


@task(queue_name=INTERACTIVE, priority=INTERACTIVE_PRIORITY)
def publish_matching_run(*, run_id: int, actor_id: int | None) -> dict[str, object]:
    run = run_publish_execute(run_id, actor_id)
    return {"run_id": run.pk, "status": run.status}
