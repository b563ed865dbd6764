"""Self-selection's periodic job: expire requests nobody answered in time (hourly)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.tasks import task

from impactcircle.core.tasks import BULK, BULK_PRIORITY
from impactcircle.mentorship.selection.services import requests_expire

EXPIRE_REQUESTS_EVERY = timedelta(hours=1)


@task(queue_name=BULK, priority=BULK_PRIORITY)
def expire_mentor_requests(*, scheduled_for: str) -> dict[str, int]:
    """Expire the pending requests past their date at the moment the scheduler stands for."""
    return {"expired": requests_expire(datetime.fromisoformat(scheduled_for))}


def register_selection_parts() -> None:
    """Called once from `mentorship.setup.register_mentorship()`."""
    from impactcircle.core.schedule import PeriodicJob, register_periodic_job

    register_periodic_job(
        PeriodicJob.every(
            "mentorship.expire_requests", expire_mentor_requests, EXPIRE_REQUESTS_EVERY
        )
    )
