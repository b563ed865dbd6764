"""Where a waiting task stands in its queue: how many tasks a worker will take before it."""

from __future__ import annotations

from uuid import UUID

from django.db.models import Count, Q, Subquery
from django_tasks_db.models import DBTaskResult


def tasks_ahead(task_id: str) -> int | None:
    """How many ready tasks of the same queue a worker claims before this one; None when the
    task is not waiting (running, finished, unknown, or not in the database queue).

    A worker claims by priority (highest first), then `run_after`, then `enqueued_at`
    (django-tasks-db's ordering), so those are the tasks counted. One query.
    """
    try:
        key = UUID(task_id)
    except ValueError:
        return None  # e.g. an id of the immediate backend the tests use

    def mine(field: str) -> Subquery:
        return Subquery(DBTaskResult.objects.filter(pk=key).values(field)[:1])

    same_order = Q(priority=mine("priority"))
    ahead = (
        Q(priority__gt=mine("priority"))
        | (same_order & Q(run_after__lt=mine("run_after")))
        | (same_order & Q(run_after=mine("run_after"), enqueued_at__lt=mine("enqueued_at")))
    )
    counts = (
        DBTaskResult.objects.ready()
        .filter(queue_name=mine("queue_name"), backend_name=mine("backend_name"))
        .aggregate(ahead=Count("pk", filter=ahead), waiting=Count("pk", filter=Q(pk=key)))
    )
    return counts["ahead"] if counts["waiting"] else None
