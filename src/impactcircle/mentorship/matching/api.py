"""The matching-run API: start a run, read its pairs, lock or forbid pairs, compare, publish."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from impactcircle.accounts.requests import AuthenticatedRequest
from impactcircle.mentorship.matching.selectors import (
    VisibleMatches,
    pair_applications,
    run_for,
    run_matches_visible,
    run_tasks_ahead,
    runs_compare,
    runs_to_compare,
)
from impactcircle.mentorship.matching.services import (
    pair_rule_clear,
    pair_rule_set,
    pair_unlock,
    run_publish,
    run_start,
)
from impactcircle.mentorship.models import Application, MatchingRun, Programme
from impactcircle.mentorship.policies import managed_programme_for

router = Router()


class RunIn(Schema):
    weights: dict[str, float] = {}


class RunOut(Schema):
    id: int
    programme_id: int
    number: int
    status: str
    mode: str
    weights: dict[str, float]
    progress: int
    stage: str
    summary: dict[str, Any]
    error: str
    finished_at: datetime | None
    published_at: datetime | None
    tasks_ahead: int | None = Field(
        description="While the run waits for a worker (queued, or publishing before it starts): "
        "how many tasks the worker takes before it; otherwise null"
    )

    @staticmethod
    def resolve_tasks_ahead(run: MatchingRun) -> int | None:
        return run_tasks_ahead(run)


class MatchOut(Schema):
    mentee_application_id: int
    mentor_application_id: int
    mentee_user_id: int
    mentor_user_id: int
    score: float
    reasons: list[str] = Field(
        description="Why the pair fits, leaving out what the caller may not see of either person"
    )
    circle: int | None
    is_locked: bool


class PairRuleIn(Schema):
    mentee_application_id: int
    mentor_application_id: int
    kind: Literal["lock", "forbid"]


class ChangeOut(Schema):
    mentee: str
    kind: str
    mentor_before: str | None
    mentor_after: str | None
    score_delta: float


class CompareOut(Schema):
    matched_before: int
    matched_after: int
    total_before: float
    total_after: float
    unchanged: int
    changes: list[ChangeOut]


@router.post("/programmes/{programme_id}/runs", response={202: RunOut})
def start_run(
    request: AuthenticatedRequest, programme_id: int, payload: RunIn
) -> Status[MatchingRun]:
    programme = managed_programme_for(request.user, programme_id)
    run = run_start(
        actor=request.user, programme=programme, weights=payload.weights, request=request
    )
    return Status(202, run)


@router.get("/runs/{run_id}", response=RunOut)
def get_run(request: AuthenticatedRequest, run_id: int) -> MatchingRun:
    return MatchingRun.objects.get(pk=run_for(request.user, run_id).pk)


@router.get("/runs/{run_id}/matches", response=list[MatchOut])
@paginate
def run_matches(request: AuthenticatedRequest, run_id: int) -> VisibleMatches:
    return run_matches_visible(run_for(request.user, run_id), request.user)


@router.post("/runs/{run_id}/publish", response={202: RunOut})
def publish(request: AuthenticatedRequest, run_id: int) -> Status[MatchingRun]:
    """Publishing runs in the worker: poll the run until its status is "published"."""
    run = run_publish(actor=request.user, run=run_for(request.user, run_id), request=request)
    return Status(202, run)


@router.get("/runs/{run_id}/compare/{other_id}", response=CompareOut)
def compare(request: AuthenticatedRequest, run_id: int, other_id: int) -> dict[str, Any]:
    first, second = runs_to_compare(request.user, run_id, other_id)
    diff = runs_compare(first, second)
    return {
        "matched_before": diff.matched_before,
        "matched_after": diff.matched_after,
        "total_before": diff.total_before,
        "total_after": diff.total_after,
        "unchanged": diff.unchanged,
        "changes": [
            {
                "mentee": c.mentee,
                "kind": c.kind,
                "mentor_before": c.mentor_before,
                "mentor_after": c.mentor_after,
                "score_delta": c.score_delta,
            }
            for c in diff.changes
        ],
    }


def _pair(
    request: AuthenticatedRequest, programme_id: int, mentee_id: int, mentor_id: int
) -> tuple[Programme, Application, Application]:
    programme = managed_programme_for(request.user, programme_id)
    return programme, *pair_applications(programme, mentee_id, mentor_id)


@router.put("/programmes/{programme_id}/pair-rules", response={204: None})
def set_pair_rule(
    request: AuthenticatedRequest, programme_id: int, payload: PairRuleIn
) -> Status[None]:
    programme, mentee, mentor = _pair(
        request, programme_id, payload.mentee_application_id, payload.mentor_application_id
    )
    pair_rule_set(
        actor=request.user, programme=programme, mentee=mentee, mentor=mentor, kind=payload.kind
    )
    return Status(204, None)


@router.delete(
    "/programmes/{programme_id}/pair-rules/{mentee_application_id}/{mentor_application_id}",
    response={204: None},
)
def clear_pair_rule(
    request: AuthenticatedRequest,
    programme_id: int,
    mentee_application_id: int,
    mentor_application_id: int,
) -> Status[None]:
    programme, mentee, mentor = _pair(
        request, programme_id, mentee_application_id, mentor_application_id
    )
    pair_rule_clear(actor=request.user, programme=programme, mentee=mentee, mentor=mentor)
    return Status(204, None)


@router.post(
    "/programmes/{programme_id}/pair-rules/{mentee_application_id}/{mentor_application_id}/unlock",
    response={204: None},
)
def unlock_pair(
    request: AuthenticatedRequest,
    programme_id: int,
    mentee_application_id: int,
    mentor_application_id: int,
) -> Status[None]:
    """Free a locked pair for the next runs; 409 if the two are not locked (a forbid stays)."""
    programme, mentee, mentor = _pair(
        request, programme_id, mentee_application_id, mentor_application_id
    )
    pair_unlock(actor=request.user, programme=programme, mentee=mentee, mentor=mentor)
    return Status(204, None)
