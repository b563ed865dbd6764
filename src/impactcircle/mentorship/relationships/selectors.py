"""Reading relationships: my list, the home card and one relationship's space (health is in
`health.py`).

Everything here runs a fixed number of queries whatever the number of sessions, goals or
relationships. Private notes are read in exactly one place (`relationship_space`, and only the
viewer's own); the health view and everything a manager sees never touch them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Case, Prefetch, QuerySet, When

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
from impactcircle.mentorship.relationships.health import (
    RelationshipHealth,
    health_for,
    relationship_health,
)

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
    viewer_id: int | None = None

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
    def completion_requested_by(self) -> MemberView | None:
        """The member who asked to mark it completed, while nobody else has confirmed yet."""
        requester_id = self.relationship.completion_requested_by_id
        if requester_id is None or self.relationship.status not in {
            Relationship.Status.ACTIVE,
            Relationship.Status.PROPOSED,
        }:
            return None
        return next((member for member in self.members if member.user_id == requester_id), None)

    @property
    def completion_requested_by_me(self) -> bool:
        requester = self.completion_requested_by
        return requester is not None and requester.user_id == self.viewer_id

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
        # oldest first: the page numbers them 1, 2, 3… from the top
        .order_by("held_on", "created_at", "pk")
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
        viewer_id=user.pk,
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
