"""Background work of the mentorship module. Tasks take ids, never objects."""

from __future__ import annotations

from django.tasks import task

from impactcircle.mentorship.matching.compute import run_compute


@task()
def compute_matching_run(*, run_id: int) -> dict[str, object]:
    run = run_compute(run_id)
    return {"run_id": run.pk, "status": run.status}
