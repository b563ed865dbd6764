"""The daily job that keeps mentoring pairs alive (see relationship_keepalive.py)."""

from __future__ import annotations

from datetime import datetime

from django.tasks import task

from impactcircle.core.tasks import BULK, BULK_PRIORITY
from impactcircle.mentorship.relationships.keepalive import keep_pairs_alive

KEEP_PAIRS_ALIVE_HOUR_UTC = 6


@task(queue_name=BULK, priority=BULK_PRIORITY)
def keep_pairs_alive_daily(*, scheduled_for: str) -> dict[str, int]:
    """Nudges, manager warnings and check-ins for the day the scheduler stands for."""
    report = keep_pairs_alive(today=datetime.fromisoformat(scheduled_for).date())
    return {
        "nudged": report.nudged,
        "managers_warned": report.managers_warned,
        "check_ins_created": report.check_ins_created,
    }
