"""The worker's part of a matching run: read the pool, solve, store the draft."""

from __future__ import annotations

from dataclasses import asdict
from statistics import mean

from django.db import transaction
from django.utils import timezone

from impactcircle.core import anonymity
from impactcircle.engine.matching import FACTORS, MatchResult, ProblemError, Weights, solve
from impactcircle.mentorship.explanations import stored_reasons
from impactcircle.mentorship.matching.problem import build_pool
from impactcircle.mentorship.models import MatchingRun, ProposedMatch, UnmatchedApplication


def set_progress(run: MatchingRun, percent: int, stage: str) -> None:
    """Show the run's stage to the managers' page (outside any transaction, so it is seen)."""
    MatchingRun.objects.filter(pk=run.pk).update(progress=percent, stage=stage)


def _summary(result: MatchResult, pool_size: int, mentor_capacity: int) -> dict[str, object]:
    scores = [assignment.score for assignment in result.assignments]
    audit = result.audit
    return {
        "mentees": pool_size,
        "matched": len(scores),
        "matched_percent": round(100 * len(scores) / pool_size, 1) if pool_size else 0.0,
        "mean_score": round(mean(scores), 1) if scores else None,
        "lowest_score": round(min(scores), 1) if scores else None,
        "total_score": round(result.total_score, 2),
        "mentor_capacity": mentor_capacity,
        "mentors_used": sum(1 for load in result.mentor_load.values() if load),
        "certificate": {
            key: value
            for key, value in result.certificate.items()
            if isinstance(value, (int, float, str, bool))
        },
        "fairness": asdict(audit) if audit is not None else None,
        "timings": {stage: round(seconds, 3) for stage, seconds in result.timings.items()},
    }


def run_compute(run_id: int) -> MatchingRun:
    """The worker's part: read the pool, solve, store the draft. Failures are kept on the run."""
    run = MatchingRun.objects.select_related("programme").get(pk=run_id)
    if run.status != MatchingRun.Status.QUEUED:
        return run  # already computed (a retried task)
    MatchingRun.objects.filter(pk=run.pk).update(
        status=MatchingRun.Status.RUNNING, progress=5, stage="Reading the pool"
    )
    try:
        pool = build_pool(
            run.programme,
            weights=Weights(**{factor: run.weights.get(factor, 0.0) for factor in FACTORS}),
        )
        set_progress(run, 40, "Scoring and solving")
        result = solve(
            pool.problem,
            run.mode,  # type: ignore[arg-type]  # run.mode comes from engine_mode
            min_group_size=anonymity.threshold("scores"),
        )
    except ProblemError as error:
        MatchingRun.objects.filter(pk=run.pk).update(
            status=MatchingRun.Status.FAILED,
            error=str(error),
            finished_at=timezone.now(),
            stage="Failed",
        )
        return MatchingRun.objects.get(pk=run.pk)
    set_progress(run, 85, "Saving the draft")
    circle_of: dict[str, int] = {}
    for number, circle in enumerate(result.circles, start=1):
        for member in circle.members:
            circle_of[member] = number
    with transaction.atomic():
        ProposedMatch.objects.bulk_create(
            [
                ProposedMatch(
                    run=run,
                    mentee=pool.mentee_applications[assignment.mentee],
                    mentor=pool.mentor_applications[assignment.mentor],
                    score=assignment.score,
                    reasons=stored_reasons(
                        assignment.explanation,
                        mentee_id=int(assignment.mentee),
                        mentor_id=int(assignment.mentor),
                    ),
                    circle=circle_of.get(assignment.mentee),
                    is_locked=assignment.locked,
                )
                for assignment in result.assignments
            ],
            batch_size=1000,
        )
        UnmatchedApplication.objects.bulk_create(
            [
                UnmatchedApplication(
                    run=run,
                    application=pool.mentee_applications[entry.mentee],
                    reason=entry.detail[:300],
                )
                for entry in result.unmatched
            ],
            batch_size=1000,
        )
        capacity = sum(person.capacity for person in pool.problem.mentors)
        MatchingRun.objects.filter(pk=run.pk).update(
            status=MatchingRun.Status.DRAFT,
            progress=100,
            stage="Draft ready",
            summary=_summary(result, len(pool.problem.mentees), capacity),
            finished_at=timezone.now(),
        )
    return MatchingRun.objects.get(pk=run.pk)
