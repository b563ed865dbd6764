"""Reading relationships: my list, one relationship's space, and health for the dashboard.

Everything here runs a fixed number of queries whatever the number of sessions, goals or
relationships. Private notes are read in exactly one place (`relationship_space`, and only the
viewer's own); the health view and everything a manager sees never touch them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Case, Count, Exists, OuterRef, Prefetch, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from impactcircle.accounts.models import User
from impactcircle.mentorship.explanations import visible_reasons_for
from impactcircle.mentorship.models import (
    Application,
    CheckIn,
    MentoringSession,
    Milestone,
    PrivateNote,
    Programme,
    Relationship,
    RelationshipGoal,
    RelationshipMember,
    SessionConfirmation,
    SharedResource,
    Side,
)
from impactcircle.mentorship.policies import relationship_for

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
        if is_silent:
            reasons.append(f"No confirmed session for {silent} days")
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


# --- My relationships -----------------------------------------------------------------------


@dataclass(frozen=True)
class MemberView:
    user_id: int
    name: str
    side: str
    side_label: str


@dataclass(frozen=True)
class RelationshipBrief:
    """A relationship with its members, as the home card names it."""

    relationship: Relationship
    my_side: str
    members: tuple[MemberView, ...]

    @property
    def others(self) -> tuple[MemberView, ...]:
        return tuple(member for member in self.members if member.side != self.my_side) or (
            self.members
        )


@dataclass(frozen=True)
class RelationshipSummary(RelationshipBrief):
    health: RelationshipHealth


def _member_views(relationship: Relationship) -> tuple[MemberView, ...]:
    return tuple(
        MemberView(
            user_id=member.user_id,
            name=member.user.display_name,
            side=member.side,
            side_label=Side(member.side).label,
        )
        for member in relationship.members.all()
    )


def my_relationships(user: User) -> QuerySet[Relationship]:
    return (
        Relationship.objects.filter(members__user=user)
        .select_related("programme")
        .prefetch_related(
            Prefetch("members", queryset=RelationshipMember.objects.select_related("user"))
        )
        .order_by("-started_on", "-created_at")
    )


def active_relationship_briefs(user: User, *, limit: int) -> list[RelationshipBrief]:
    """The person's newest active relationships with their members, in two queries (no
    health: the home card names the others and the last session only)."""
    briefs = []
    for relationship in my_relationships(user).filter(status=Relationship.Status.ACTIVE)[:limit]:
        members = _member_views(relationship)
        my_side = next((m.side for m in members if m.user_id == user.pk), "")
        briefs.append(RelationshipBrief(relationship, my_side, members))
    return briefs


def relationship_summaries(
    user: User, *, today: date | None = None, limit: int | None = None
) -> list[RelationshipSummary]:
    """The person's relationships (active first, then newest), each with its members and
    health; the first `limit` of them."""
    mine = my_relationships(user).order_by(
        Case(When(status=Relationship.Status.ACTIVE, then=0), default=1),
        "-started_on",
        "-created_at",
    )
    relationships = list(mine[:limit] if limit else mine)
    health = health_for(relationships, today=today)
    summaries = []
    for relationship in relationships:
        members = _member_views(relationship)
        my_side = next((m.side for m in members if m.user_id == user.pk), "")
        summaries.append(
            RelationshipSummary(
                relationship=relationship,
                my_side=my_side,
                members=members,
                health=health[relationship.pk],
            )
        )
    return summaries


# --- One relationship's space ---------------------------------------------------------------


@dataclass(frozen=True)
class SessionView:
    session_id: int
    held_on: date
    duration_minutes: int
    topics: str | None  # None: hidden from a manager by the confidentiality agreement
    shared_notes: str | None
    logged_by_id: int | None
    logged_by_name: str
    is_confirmed: bool
    confirmed_by: tuple[str, ...]
    may_confirm: bool
    my_private_note: str | None  # the viewer's own note; never anyone else's


@dataclass(frozen=True)
class RelationshipSpace:
    relationship: Relationship
    programme: Programme
    is_member: bool
    my_side: str | None
    members: tuple[MemberView, ...]
    goals: tuple[RelationshipGoal, ...]
    sessions: tuple[SessionView, ...]
    resources: tuple[SharedResource, ...]
    open_check_ins: tuple[CheckIn, ...]
    health: RelationshipHealth
    rematch_offered: bool
    reasons: tuple[str, ...] = ()  # why the pair was matched, as far as the viewer may see

    @property
    def is_active(self) -> bool:
        return self.relationship.status == Relationship.Status.ACTIVE

    @property
    def may_edit(self) -> bool:
        return self.is_member and self.is_active

    @property
    def may_finish(self) -> bool:
        return self.is_member and self.relationship.status in {
            Relationship.Status.ACTIVE,
            Relationship.Status.PROPOSED,
        }

    @property
    def shows_content(self) -> bool:
        """Shared notes and topics: members always; managers only without confidentiality."""
        return self.is_member or not self.relationship.agreement_confidential


def relationship_space(
    user: User, relationship_id: int, *, today: date | None = None
) -> RelationshipSpace:
    """Everything the relationship page shows the person; 404 (NotFound) for outsiders."""
    relationship, is_member = relationship_for(user, relationship_id)
    members = tuple(
        MemberView(
            user_id=member.user_id,
            name=member.user.display_name,
            side=member.side,
            side_label=Side(member.side).label,
        )
        for member in relationship.members.all()  # loaded by relationship_for
    )
    goals = tuple(
        RelationshipGoal.objects.filter(relationship=relationship).prefetch_related(
            Prefetch("milestones", queryset=Milestone.objects.order_by("created_at"))
        )
    )
    sessions = list(
        MentoringSession.objects.filter(relationship=relationship)
        .select_related("logged_by")
        .prefetch_related(
            Prefetch("confirmations", queryset=SessionConfirmation.objects.select_related("user"))
        )
    )
    my_notes: dict[int, str] = {}
    if is_member and sessions:
        my_notes = dict(
            PrivateNote.objects.filter(author=user, session__relationship=relationship).values_list(
                "session_id", "body"
            )
        )
    shows_content = is_member or not relationship.agreement_confidential
    session_views = []
    for session in sessions:
        confirmers = [
            confirmation.user
            for confirmation in session.confirmations.all()
            if confirmation.user_id != session.logged_by_id
        ]
        session_views.append(
            SessionView(
                session_id=session.pk,
                held_on=session.held_on,
                duration_minutes=session.duration_minutes,
                topics=session.topics if shows_content else None,
                shared_notes=session.shared_notes if shows_content else None,
                logged_by_id=session.logged_by_id,
                logged_by_name=session.logged_by.display_name if session.logged_by else "",
                is_confirmed=bool(confirmers),
                confirmed_by=tuple(person.display_name for person in confirmers),
                may_confirm=(
                    is_member
                    and relationship.status == Relationship.Status.ACTIVE
                    and session.logged_by_id != user.pk
                    and all(person.pk != user.pk for person in confirmers)
                ),
                my_private_note=my_notes.get(session.pk) if is_member else None,
            )
        )
    open_check_ins: tuple[CheckIn, ...] = ()
    if is_member:
        open_check_ins = tuple(
            CheckIn.objects.filter(relationship=relationship, user=user, score__isnull=True)
        )
    my_side = next((m.side for m in members if m.user_id == user.pk), None)
    rematch_offered = (
        relationship.status == Relationship.Status.ENDED_EARLY
        and my_side == Side.MENTEE
        and Application.objects.filter(
            programme_id=relationship.programme_id,
            user=user,
            side=Side.MENTEE,
            status=Application.Status.ACCEPTED,
        ).exists()
    )
    return RelationshipSpace(
        relationship=relationship,
        programme=relationship.programme,
        is_member=is_member,
        my_side=my_side if is_member else None,
        members=members,
        goals=goals,
        sessions=tuple(session_views),
        resources=tuple(
            SharedResource.objects.filter(relationship=relationship).select_related("added_by")
        ),
        open_check_ins=open_check_ins,
        health=relationship_health(relationship, today=today),
        rematch_offered=rematch_offered,
        reasons=tuple(visible_reasons_for(user, relationship.reasons)),
    )


def open_check_ins_for(user: User) -> QuerySet[CheckIn]:
    """The person's unanswered check-ins in active relationships, oldest first."""
    return (
        CheckIn.objects.filter(
            user=user, score__isnull=True, relationship__status=Relationship.Status.ACTIVE
        )
        .select_related("relationship__programme")
        .order_by("due_on")
    )
