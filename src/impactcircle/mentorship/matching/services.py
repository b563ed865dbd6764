"""Matching runs: start one, let the worker compute it, lock and forbid pairs, compare, publish."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.http import HttpRequest
from django.tasks import Task

from impactcircle.accounts.models import User
from impactcircle.core.audit import record_audit_event
from impactcircle.core.errors import Conflict, Forbidden, InvalidInput
from impactcircle.engine.matching import (
    FACTORS,
)
from impactcircle.mentorship.matching.problem import (
    active_mentee_ids,
    engine_mode,
    engine_weights,
)
from impactcircle.mentorship.matching.selectors import run_superseded_reason
from impactcircle.mentorship.matching.tasks import compute_matching_run, publish_matching_run
from impactcircle.mentorship.models import (
    Application,
    MatchingRun,
    PairRule,
    Programme,
    Side,
)
from impactcircle.mentorship.policies import manages

logger = logging.getLogger(__name__)


def _queue_for_run(task_to_run: Task[..., Any], run_id: int, **kwargs: Any) -> None:
    """Enqueue once the transaction commits, and keep the task's id on the run so that its page
    can say how many tasks are ahead of it (`selectors.run_tasks_ahead`)."""

    def enqueue() -> None:
        result = task_to_run.enqueue(run_id=run_id, **kwargs)
        MatchingRun.objects.filter(pk=run_id).update(task_id=str(result.id))

    transaction.on_commit(enqueue)


def _require_manager(actor: User, programme: Programme) -> None:
    if not manages(actor, programme):
        raise Forbidden("Only this programme's managers may do this.")


def _clean_weights(weights: Mapping[str, float] | None, programme: Programme) -> dict[str, float]:
    chosen = engine_weights(programme).as_dict()
    for factor, points in (weights or {}).items():
        if factor not in FACTORS:
            raise InvalidInput(
                "Unknown matching factor.", fields={"weights": [f"{factor!r} is not a factor."]}
            )
        if not 0 <= float(points) <= 100:
            raise InvalidInput("Weights are 0–100.", fields={"weights": [f"{factor}: 0 to 100."]})
        chosen[factor] = float(points)
    return chosen


@transaction.atomic
def run_start(
    *,
    actor: User,
    programme: Programme,
    weights: Mapping[str, float] | None = None,
    request: HttpRequest | None = None,
) -> MatchingRun:
    """Queue a run; the worker computes it (`tasks.compute_matching_run`) and reports progress."""
    _require_manager(actor, programme)
    if programme.matching_mode == Programme.MatchingMode.SELF_SELECTION:
        raise Conflict("In this programme mentees choose their mentors; there is no matching run.")
    locked = Programme.objects.select_for_update().get(pk=programme.pk)  # numbers runs one by one
    number = (locked.matching_runs.aggregate(top=Max("number"))["top"] or 0) + 1
    run = MatchingRun.objects.create(
        programme=locked,
        number=number,
        mode=engine_mode(locked),
        weights=_clean_weights(weights, locked),
        started_by=actor,
        stage="Waiting for the worker",
    )
    _queue_for_run(compute_matching_run, run.pk)
    record_audit_event(action="matching.run_started", actor=actor, target=run, request=request)
    return run


@transaction.atomic
def pair_rule_set(
    *, actor: User, programme: Programme, mentee: Application, mentor: Application, kind: str
) -> PairRule:
    """Lock (always pair) or forbid (never pair) two people in the next runs of the programme."""
    _require_manager(actor, programme)
    if kind not in PairRule.Kind.values:
        raise InvalidInput("Lock or forbid.", fields={"kind": ["Unknown kind."]})
    if mentee.programme_id != programme.pk or mentor.programme_id != programme.pk:
        raise InvalidInput("Both people must be enrolled in this programme.")
    if mentee.side != Side.MENTEE or mentor.side != Side.MENTOR:
        raise InvalidInput("Pair a mentee with a mentor.")
    if kind == PairRule.Kind.LOCK:
        locks = PairRule.objects.filter(
            programme=programme, mentor=mentor, kind=PairRule.Kind.LOCK
        ).exclude(mentee=mentee)
        limit = (
            programme.circle_max_size
            if programme.format == Programme.Format.GROUP_CIRCLE
            else mentor.capacity
        )
        if locks.count() >= limit:
            raise Conflict(
                f"{mentor.user.display_name} cannot take more locked mentees (capacity {limit})."
            )
        if (
            PairRule.objects.filter(programme=programme, mentee=mentee, kind=PairRule.Kind.LOCK)
            .exclude(mentor=mentor)
            .exists()
        ):
            raise Conflict(f"{mentee.user.display_name} is already locked with another mentor.")
    rule, _ = PairRule.objects.update_or_create(
        programme=programme,
        mentee=mentee,
        mentor=mentor,
        defaults={"kind": kind, "created_by": actor},
    )
    return rule


def pair_rule_clear(
    *, actor: User, programme: Programme, mentee: Application, mentor: Application
) -> None:
    _require_manager(actor, programme)
    PairRule.objects.filter(programme=programme, mentee=mentee, mentor=mentor).delete()


def pair_unlock(
    *, actor: User, programme: Programme, mentee: Application, mentor: Application
) -> None:
    """Free a locked pair: the next runs may pair the two differently (a forbid stays)."""
    _require_manager(actor, programme)
    deleted, _ = PairRule.objects.filter(
        programme=programme, mentee=mentee, mentor=mentor, kind=PairRule.Kind.LOCK
    ).delete()
    if not deleted:
        raise Conflict(
            f"{mentee.user.display_name} and {mentor.user.display_name} are not locked together."
        )


@transaction.atomic
def run_publish(
    *, actor: User, run: MatchingRun, request: HttpRequest | None = None
) -> MatchingRun:
    """Ask the worker to turn a draft into relationships (`publishing.run_publish_execute`).

    The run shows "Publishing" with its progress until the worker is done; a second click, a
    superseded draft (`selectors.run_superseded_reason`) or a draft whose people were matched
    meanwhile answers 409.
    """
    locked = MatchingRun.objects.select_for_update().select_related("programme").get(pk=run.pk)
    _require_manager(actor, locked.programme)
    if locked.status != MatchingRun.Status.DRAFT:
        raise Conflict(
            f"Only a draft can be published; this run is {locked.get_status_display().lower()}."
        )
    superseded = run_superseded_reason(locked)
    if superseded:
        raise Conflict(superseded)
    if locked.matches.filter(mentee__user_id__in=active_mentee_ids(locked.programme)).exists():
        raise Conflict(
            "Someone in this draft is already in an active relationship; run the matching again."
        )
    locked.status = MatchingRun.Status.PUBLISHING
    locked.progress = 0
    locked.stage = "Waiting for the worker"
    locked.error = ""
    locked.save(update_fields=["status", "progress", "stage", "error", "updated_at"])
    _queue_for_run(publish_matching_run, locked.pk, actor_id=actor.pk)
    record_audit_event(
        action="matching.run_publish_requested", actor=actor, target=locked, request=request
    )
    return locked
