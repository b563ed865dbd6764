"""Matching runs: start one, let the worker compute it, lock and forbid pairs, compare, publish."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import asdict
from statistics import mean

from django.db import transaction
from django.db.models import Max
from django.http import HttpRequest
from django.utils import timezone

from impactcircle.accounts.models import User
from impactcircle.core.audit import record_audit_event
from impactcircle.core.errors import Conflict, Forbidden, InvalidInput
from impactcircle.core.tasks import enqueue_on_commit
from impactcircle.engine.matching import (
    FACTORS,
    MatchResult,
    ProblemError,
    ResultDiff,
    Weights,
    diff_assignments,
    solve,
)
from impactcircle.mentorship.access import manages
from impactcircle.mentorship.matching_problem import build_pool, engine_mode, engine_weights
from impactcircle.mentorship.models import (
    Application,
    MatchingRun,
    PairRule,
    Programme,
    ProposedMatch,
    Relationship,
    Side,
    UnmatchedApplication,
)
from impactcircle.mentorship.relationship_services import relationship_create
from impactcircle.notifications.services import notify

logger = logging.getLogger(__name__)


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
    from impactcircle.mentorship.tasks import compute_matching_run

    enqueue_on_commit(compute_matching_run, run_id=run.pk)
    record_audit_event(action="matching.run_started", actor=actor, target=run, request=request)
    return run


def _progress(run: MatchingRun, percent: int, stage: str) -> None:
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
        _progress(run, 40, "Scoring and solving")
        result = solve(pool.problem, run.mode)  # type: ignore[arg-type]  # run.mode comes from engine_mode
    except ProblemError as error:
        MatchingRun.objects.filter(pk=run.pk).update(
            status=MatchingRun.Status.FAILED,
            error=str(error),
            finished_at=timezone.now(),
            stage="Failed",
        )
        return MatchingRun.objects.get(pk=run.pk)
    _progress(run, 85, "Saving the draft")
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
                    reasons=[reason.text for reason in assignment.explanation],
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


def runs_compare(first: MatchingRun, second: MatchingRun) -> ResultDiff:
    """What changed from `first` to `second`: keyed by mentee user id."""

    def assignments(run: MatchingRun) -> dict[str, tuple[str, float]]:
        return {
            str(mentee): (str(mentor), score)
            for mentee, mentor, score in run.matches.values_list(
                "mentee__user_id", "mentor__user_id", "score"
            )
        }

    return diff_assignments(assignments(first), assignments(second))


@transaction.atomic
def run_publish(
    *, actor: User, run: MatchingRun, request: HttpRequest | None = None
) -> list[Relationship]:
    """Turn a draft into relationships, tell everyone concerned, and record it."""
    locked = MatchingRun.objects.select_for_update().select_related("programme").get(pk=run.pk)
    programme = locked.programme
    _require_manager(actor, programme)
    if locked.status != MatchingRun.Status.DRAFT:
        raise Conflict(
            f"Only a draft can be published; this run is {locked.get_status_display().lower()}."
        )
    matches = list(
        locked.matches.select_related("mentee__user", "mentor__user").order_by(
            "mentor_id", "circle", "pk"
        )
    )
    busy = set(
        Relationship.objects.filter(
            programme=programme, status=Relationship.Status.ACTIVE, members__side=Side.MENTEE
        ).values_list("members__user_id", flat=True)
    )
    if any(match.mentee.user_id in busy for match in matches):
        raise Conflict(
            "Someone in this draft is already in an active relationship; run the matching again."
        )
    groups: dict[tuple[int, int | None], list[ProposedMatch]] = {}
    for match in matches:
        key = (
            (match.mentor_id, match.circle)
            if match.circle is not None
            else (match.mentor_id, -match.pk)
        )
        groups.setdefault(key, []).append(match)
    relationships = []
    for members in groups.values():
        first = members[0]
        relationships.append(
            relationship_create(
                programme=programme,
                mentor=first.mentor.user,
                mentees=[member.mentee.user for member in members],
                source_run=locked,
                score=round(mean(member.score for member in members), 1),
                reasons=first.reasons if len(members) == 1 else [],
            )
        )
    locked.status = MatchingRun.Status.PUBLISHED
    locked.published_at = timezone.now()
    locked.save(update_fields=["status", "published_at", "updated_at"])
    for relationship, members in zip(relationships, groups.values(), strict=True):
        link = f"/mentoring/relationships/{relationship.pk}/"
        mentor = members[0].mentor.user
        names = ", ".join(member.mentee.user.display_name for member in members)
        notify(
            recipient=mentor,
            category="mentoring",
            message=f"You are matched with {names} in {programme.name}.",
            link=link,
            actor=actor,
        )
        for member in members:
            notify(
                recipient=member.mentee.user,
                category="mentoring",
                message=f"You are matched with {mentor.display_name} in {programme.name}.",
                link=link,
                actor=actor,
            )
    record_audit_event(
        action="matching.run_published",
        actor=actor,
        target=locked,
        request=request,
        details={"relationships": len(relationships)},
    )
    return relationships
