"""A relationship's health: activity a programme manager may know, never content.

`health_for` computes it for any number of relationships in three queries (sessions, goals with
their milestones counted, check-ins); the relationship page, my list and the programme dashboard
read it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import ngettext

from impactcircle.mentorship.models import (
    CheckIn,
    MentoringSession,
    Programme,
    Relationship,
    RelationshipGoal,
    SessionConfirmation,
)

LOW_CHECK_IN_AVERAGE = 2.0  # a latest check-in round averaging this or less puts a pair at risk


def confirmed_session_q() -> Exists:
    """A session is confirmed once a member other than the one who logged it confirmed it."""
    return Exists(
        SessionConfirmation.objects.filter(session=OuterRef("pk")).exclude(
            user_id=Coalesce(OuterRef("logged_by_id"), Value(0))
        )
    )


@dataclass(frozen=True)
class RelationshipHealth:
    """What a programme manager may know about a relationship: activity, never content."""

    relationship_id: int
    programme_id: int
    status: str
    started_on: date | None
    session_count: int
    confirmed_session_count: int
    last_session_on: date | None
    days_silent: int | None
    goal_count: int
    goal_progress: int | None
    milestones_done: int
    milestone_count: int
    check_in_average: float | None
    check_in_answers: int
    check_ins_open: int
    is_silent: bool
    is_at_risk: bool
    risk_reasons: tuple[str, ...]


def _silence_start(relationship: Relationship) -> date | None:
    return relationship.last_session_on or relationship.started_on


def silence_reason(days: int) -> str:
    return ngettext(
        "No confirmed session for %(days)d day", "No confirmed session for %(days)d days", days
    ) % {"days": days}


def days_silent(relationship: Relationship, today: date) -> int | None:
    """Days since the last confirmed session, or since the start when none yet."""
    start = _silence_start(relationship)
    if relationship.status != Relationship.Status.ACTIVE or start is None:
        return None
    return max((today - start).days, 0)


def health_for(
    relationships: Sequence[Relationship], *, today: date | None = None
) -> dict[int, RelationshipHealth]:
    """Health of each relationship (its programme must be loaded), in three queries in all.

    At risk: active and silent for the programme's `nudge_after_days` or more, or the latest
    answered check-in round averages 2 or less.
    """
    day = today or timezone.localdate()
    ids = [relationship.pk for relationship in relationships]
    if not ids:
        return {}
    sessions = _session_counts(ids)
    goals, milestones = _goal_and_milestone_counts(ids)
    answered: dict[int, dict[date, list[int]]] = defaultdict(lambda: defaultdict(list))
    open_counts: dict[int, int] = defaultdict(int)
    for relationship_id, due_on, score in CheckIn.objects.filter(
        relationship_id__in=ids
    ).values_list("relationship_id", "due_on", "score"):
        if score is None:
            open_counts[relationship_id] += 1
        else:
            answered[relationship_id][due_on].append(score)
    result = {}
    for relationship in relationships:
        session_row = sessions.get(relationship.pk, {})
        goal_row: dict[str, Any] = goals.get(relationship.pk, {})
        milestone_row: dict[str, Any] = milestones.get(relationship.pk, {})
        rounds = answered.get(relationship.pk, {})
        latest_scores = rounds[max(rounds)] if rounds else []
        average = round(sum(latest_scores) / len(latest_scores), 2) if latest_scores else None
        silent = days_silent(relationship, day)
        is_silent = silent is not None and silent >= relationship.programme.nudge_after_days
        reasons = []
        if is_silent and silent is not None:
            reasons.append(silence_reason(silent))
        is_active = relationship.status == Relationship.Status.ACTIVE
        if is_active and average is not None and average <= LOW_CHECK_IN_AVERAGE:
            reasons.append(f"Latest check-in averages {average:g} of 5")
        progress = goal_row.get("progress")
        result[relationship.pk] = RelationshipHealth(
            relationship_id=relationship.pk,
            programme_id=relationship.programme_id,
            status=relationship.status,
            started_on=relationship.started_on,
            session_count=session_row.get("total", 0),
            confirmed_session_count=session_row.get("confirmed", 0),
            last_session_on=relationship.last_session_on,
            days_silent=silent,
            goal_count=goal_row.get("total", 0),
            goal_progress=round(progress) if progress is not None else None,
            milestones_done=milestone_row.get("done", 0),
            milestone_count=milestone_row.get("total", 0),
            check_in_average=average,
            check_in_answers=sum(len(scores) for scores in rounds.values()),
            check_ins_open=open_counts.get(relationship.pk, 0),
            is_silent=is_silent,
            is_at_risk=is_active and bool(reasons),
            risk_reasons=tuple(reasons),
        )
    return result


def _goal_and_milestone_counts(
    ids: Iterable[int],
) -> tuple[dict[int, dict[str, Any]], dict[int, dict[str, int]]]:
    """Per relationship: goals (`total`, mean `progress`) and their milestones (`total`,
    `done`), in one query over the goals with their milestones counted."""
    goals: dict[int, dict[str, Any]] = {}
    milestones: dict[int, dict[str, int]] = {}
    progress: dict[int, list[int]] = defaultdict(list)
    for relationship_id, goal_progress, milestone_total, milestone_done in (
        RelationshipGoal.objects.filter(relationship_id__in=list(ids))
        .annotate(
            milestone_total=Count("milestones"),
            milestone_done=Count("milestones", filter=Q(milestones__is_done=True)),
        )
        .values_list("relationship_id", "progress", "milestone_total", "milestone_done")
        .order_by()
    ):
        progress[relationship_id].append(goal_progress)
        row = milestones.setdefault(relationship_id, {"total": 0, "done": 0})
        row["total"] += milestone_total
        row["done"] += milestone_done
    for relationship_id, values in progress.items():
        goals[relationship_id] = {"total": len(values), "progress": sum(values) / len(values)}
    return goals, milestones


def _session_counts(ids: Iterable[int]) -> dict[int, dict[str, int]]:
    counts: dict[int, dict[str, int]] = {}
    for relationship_id, is_confirmed in (
        MentoringSession.objects.filter(relationship_id__in=list(ids))
        .annotate(is_confirmed=confirmed_session_q())
        .values_list("relationship_id", "is_confirmed")
    ):
        row = counts.setdefault(relationship_id, {"total": 0, "confirmed": 0})
        row["total"] += 1
        row["confirmed"] += int(bool(is_confirmed))
    return counts


def relationship_health(
    relationship: Relationship, *, today: date | None = None
) -> RelationshipHealth:
    return health_for([relationship], today=today)[relationship.pk]


def programme_health(
    programme: Programme, *, today: date | None = None
) -> list[RelationshipHealth]:
    """Health of every active relationship of the programme, for its dashboard."""
    relationships = list(
        Relationship.objects.select_related("programme").filter(
            programme=programme, status=Relationship.Status.ACTIVE
        )
    )
    health = health_for(relationships, today=today)
    return [health[relationship.pk] for relationship in relationships]


def relationships_at_risk(
    programme: Programme, *, today: date | None = None
) -> list[RelationshipHealth]:
    """The programme's active relationships at risk, longest silence first."""
    at_risk = [health for health in programme_health(programme, today=today) if health.is_at_risk]
    return sorted(at_risk, key=lambda health: -(health.days_silent or 0))
