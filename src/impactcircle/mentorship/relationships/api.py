"""API of the relationship space, mounted at /api/v1/mentoring/relationships.

Members read and change their relationship; the programme's managers read its health view
(no shared notes when the agreement is confidential, never private notes) and may not change it
(403); anyone else gets 404. A person's private note is only ever answered to that person.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from ninja import Field, Router, Schema, Status

from impactcircle.accounts.requests import AuthenticatedRequest
from impactcircle.mentorship.models import Relationship
from impactcircle.mentorship.policies import relationship_for
from impactcircle.mentorship.relationships import services
from impactcircle.mentorship.relationships.health import RelationshipHealth
from impactcircle.mentorship.relationships.selectors import (
    RelationshipSpace,
    relationship_space,
    relationship_summaries,
)

router = Router(tags=["mentoring relationships"])


class MemberOut(Schema):
    user_id: int
    name: str
    side: str


class HealthOut(Schema):
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
    risk_reasons: list[str]


class RelationshipListItemOut(Schema):
    id: int
    programme_id: int
    programme: str
    status: str
    is_circle: bool
    theme: str
    started_on: date | None
    ended_on: date | None
    my_side: str
    members: list[MemberOut]
    health: HealthOut


class MilestoneOut(Schema):
    id: int
    title: str
    is_done: bool


class GoalOut(Schema):
    id: int
    title: str
    progress: int
    due_on: date | None
    milestones: list[MilestoneOut]


class SessionOut(Schema):
    id: int
    held_on: date
    duration_minutes: int
    topics: str | None = Field(description="Null for a manager when the agreement is confidential")
    shared_notes: str | None = Field(
        description="Markdown; null for a manager when the agreement is confidential"
    )
    logged_by_id: int | None
    is_confirmed: bool
    confirmed_by: list[str]
    may_confirm: bool
    has_my_private_note: bool


class ResourceOut(Schema):
    id: int
    title: str
    url: str
    added_by_id: int | None


class CheckInOut(Schema):
    id: int
    due_on: date
    score: int | None
    question: str = "How is your mentoring going?"


class AgreementOut(Schema):
    goals: str
    cadence_days: int | None
    is_confidential: bool


class RelationshipOut(Schema):
    id: int
    programme_id: int
    programme: str
    status: str
    is_circle: bool
    theme: str
    started_on: date | None
    ended_on: date | None
    end_reason: str
    completion_requested_by_id: int | None = Field(
        description="The member who asked to mark it completed, while another member has not "
        "confirmed yet (POST …/complete by another member completes it)"
    )
    completion_requested_at: datetime | None
    viewer_role: str = Field(description='"member" or "manager" (read-only health view)')
    my_side: str | None
    members: list[MemberOut]
    agreement: AgreementOut
    goals: list[GoalOut]
    sessions: list[SessionOut]
    resources: list[ResourceOut]
    my_open_check_ins: list[CheckInOut]
    health: HealthOut
    rematch_offered: bool
    reasons: list[str] = Field(
        description="Why the pair was matched, leaving out what the caller may not see"
    )


class AgreementIn(Schema):
    goals: str = Field("", max_length=20_000)
    cadence_days: int | None = Field(None, ge=1, le=365)
    is_confidential: bool = True


class GoalIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    due_on: date | None = None


class GoalPatch(Schema):
    title: str | None = Field(None, min_length=1, max_length=200)
    progress: int | None = Field(None, ge=0, le=100)
    due_on: date | None = None


class MilestoneIn(Schema):
    title: str = Field(min_length=1, max_length=200)


class MilestonePatch(Schema):
    title: str | None = Field(None, min_length=1, max_length=200)
    is_done: bool | None = None


class SessionIn(Schema):
    held_on: date
    duration_minutes: int = Field(ge=5, le=600)
    topics: str = Field("", max_length=300)
    shared_notes: str = Field("", max_length=20_000)
    private_note: str = Field("", max_length=20_000, description="Seen by its author alone")


class PrivateNoteIn(Schema):
    body: str = Field("", max_length=20_000, description="Empty deletes the note")


class PrivateNoteOut(Schema):
    session_id: int
    body: str


class ResourceIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    url: str = Field(min_length=1, max_length=500, description="/path on this site or https://")


class CheckInIn(Schema):
    score: int = Field(ge=1, le=5)


class EndEarlyIn(Schema):
    reason: str = Field(min_length=1, max_length=300)


def _relationship(request: AuthenticatedRequest, relationship_id: int) -> Relationship:
    relationship, _ = relationship_for(request.user, relationship_id)
    return relationship


def _health(health: RelationshipHealth) -> dict[str, Any]:
    return {
        "session_count": health.session_count,
        "confirmed_session_count": health.confirmed_session_count,
        "last_session_on": health.last_session_on,
        "days_silent": health.days_silent,
        "goal_count": health.goal_count,
        "goal_progress": health.goal_progress,
        "milestones_done": health.milestones_done,
        "milestone_count": health.milestone_count,
        "check_in_average": health.check_in_average,
        "check_in_answers": health.check_in_answers,
        "check_ins_open": health.check_ins_open,
        "is_silent": health.is_silent,
        "is_at_risk": health.is_at_risk,
        "risk_reasons": list(health.risk_reasons),
    }


def _space_out(space: RelationshipSpace) -> dict[str, Any]:
    relationship = space.relationship
    return {
        "id": relationship.pk,
        "programme_id": relationship.programme_id,
        "programme": space.programme.name,
        "status": relationship.status,
        "is_circle": relationship.is_circle,
        "theme": relationship.theme,
        "started_on": relationship.started_on,
        "ended_on": relationship.ended_on,
        "end_reason": relationship.end_reason,
        "completion_requested_by_id": (
            space.completion_requested_by.user_id if space.completion_requested_by else None
        ),
        "completion_requested_at": (
            relationship.completion_requested_at if space.completion_requested_by else None
        ),
        "viewer_role": "member" if space.is_member else "manager",
        "my_side": space.my_side,
        "members": [vars(member) for member in space.members],
        "agreement": {
            "goals": relationship.agreement_goals,
            "cadence_days": relationship.agreement_cadence_days,
            "is_confidential": relationship.agreement_confidential,
        },
        "goals": [
            {
                "id": goal.pk,
                "title": goal.title,
                "progress": goal.progress,
                "due_on": goal.due_on,
                "milestones": [
                    {"id": m.pk, "title": m.title, "is_done": m.is_done}
                    for m in goal.milestones.all()
                ],
            }
            for goal in space.goals
        ],
        "sessions": [
            {
                "id": session.session_id,
                "held_on": session.held_on,
                "duration_minutes": session.duration_minutes,
                "topics": session.topics,
                "shared_notes": session.shared_notes,
                "logged_by_id": session.logged_by_id,
                "is_confirmed": session.is_confirmed,
                "confirmed_by": list(session.confirmed_by),
                "may_confirm": session.may_confirm,
                "has_my_private_note": bool(session.my_private_note),
            }
            for session in space.sessions
        ],
        "resources": [
            {"id": r.pk, "title": r.title, "url": r.url, "added_by_id": r.added_by_id}
            for r in space.resources
        ],
        "my_open_check_ins": [
            {"id": c.pk, "due_on": c.due_on, "score": c.score} for c in space.open_check_ins
        ],
        "health": _health(space.health),
        "rematch_offered": space.rematch_offered,
        "reasons": list(space.reasons),
    }


def _space(request: AuthenticatedRequest, relationship_id: int) -> dict[str, Any]:
    return _space_out(relationship_space(request.user, relationship_id))


@router.get("", response=list[RelationshipListItemOut], summary="My relationships")
def list_my_relationships(request: AuthenticatedRequest) -> list[dict[str, Any]]:
    return [
        {
            "id": summary.relationship.pk,
            "programme_id": summary.relationship.programme_id,
            "programme": summary.relationship.programme.name,
            "status": summary.relationship.status,
            "is_circle": summary.relationship.is_circle,
            "theme": summary.relationship.theme,
            "started_on": summary.relationship.started_on,
            "ended_on": summary.relationship.ended_on,
            "my_side": summary.my_side,
            "members": [vars(member) for member in summary.members],
            "health": _health(summary.health),
        }
        for summary in relationship_summaries(request.user)
    ]


@router.get("/{relationship_id}", response=RelationshipOut, summary="A relationship's space")
def get_relationship(request: AuthenticatedRequest, relationship_id: int) -> dict[str, Any]:
    return _space(request, relationship_id)


@router.put("/{relationship_id}/agreement", response=RelationshipOut)
def update_agreement(
    request: AuthenticatedRequest, relationship_id: int, payload: AgreementIn
) -> dict[str, Any]:
    services.relationship_agreement_update(
        actor=request.user,
        relationship=_relationship(request, relationship_id),
        goals=payload.goals,
        cadence_days=payload.cadence_days,
        is_confidential=payload.is_confidential,
    )
    return _space(request, relationship_id)


@router.post("/{relationship_id}/goals", response={201: GoalOut})
def add_goal(request: AuthenticatedRequest, relationship_id: int, payload: GoalIn) -> Status[Any]:
    goal = services.goal_add(
        actor=request.user,
        relationship=_relationship(request, relationship_id),
        title=payload.title,
        due_on=payload.due_on,
    )
    return Status(
        201,
        {
            "id": goal.pk,
            "title": goal.title,
            "progress": goal.progress,
            "due_on": goal.due_on,
            "milestones": [],
        },
    )


@router.patch("/{relationship_id}/goals/{goal_id}", response=RelationshipOut)
def update_goal(
    request: AuthenticatedRequest, relationship_id: int, goal_id: int, payload: GoalPatch
) -> dict[str, Any]:
    services.goal_update(
        actor=request.user,
        relationship=_relationship(request, relationship_id),
        goal_id=goal_id,
        title=payload.title,
        progress=payload.progress,
        due_on=payload.due_on,
        clear_due_on="due_on" in payload.model_fields_set and payload.due_on is None,
    )
    return _space(request, relationship_id)


@router.delete("/{relationship_id}/goals/{goal_id}", response={204: None})
def delete_goal(request: AuthenticatedRequest, relationship_id: int, goal_id: int) -> Status[None]:
    services.goal_delete(
        actor=request.user,
        relationship=_relationship(request, relationship_id),
        goal_id=goal_id,
    )
    return Status(204, None)


@router.post("/{relationship_id}/goals/{goal_id}/milestones", response={201: MilestoneOut})
def add_milestone(
    request: AuthenticatedRequest, relationship_id: int, goal_id: int, payload: MilestoneIn
) -> Status[Any]:
    milestone = services.milestone_add(
        actor=request.user,
        relationship=_relationship(request, relationship_id),
        goal_id=goal_id,
        title=payload.title,
    )
    return Status(201, {"id": milestone.pk, "title": milestone.title, "is_done": False})


@router.patch("/{relationship_id}/milestones/{milestone_id}", response=MilestoneOut)
def update_milestone(
    request: AuthenticatedRequest, relationship_id: int, milestone_id: int, payload: MilestonePatch
) -> dict[str, Any]:
    milestone = services.milestone_update(
        actor=request.user,
        relationship=_relationship(request, relationship_id),
        milestone_id=milestone_id,
        title=payload.title,
        is_done=payload.is_done,
    )
    return {"id": milestone.pk, "title": milestone.title, "is_done": milestone.is_done}


@router.delete("/{relationship_id}/milestones/{milestone_id}", response={204: None})
def delete_milestone(
    request: AuthenticatedRequest, relationship_id: int, milestone_id: int
) -> Status[None]:
    services.milestone_delete(
        actor=request.user,
        relationship=_relationship(request, relationship_id),
        milestone_id=milestone_id,
    )
    return Status(204, None)


@router.post("/{relationship_id}/sessions", response={201: RelationshipOut})
def log_session(
    request: AuthenticatedRequest, relationship_id: int, payload: SessionIn
) -> Status[Any]:
    services.session_log(
        actor=request.user,
        relationship=_relationship(request, relationship_id),
        held_on=payload.held_on,
        duration_minutes=payload.duration_minutes,
        topics=payload.topics,
        shared_notes=payload.shared_notes,
        private_note=payload.private_note,
    )
    return Status(201, _space(request, relationship_id))


@router.post("/{relationship_id}/sessions/{session_id}/confirm", response=RelationshipOut)
def confirm_session(
    request: AuthenticatedRequest, relationship_id: int, session_id: int
) -> dict[str, Any]:
    services.session_confirm(
        actor=request.user,
        relationship=_relationship(request, relationship_id),
        session_id=session_id,
    )
    return _space(request, relationship_id)


@router.get("/{relationship_id}/sessions/{session_id}/private-note", response=PrivateNoteOut)
def get_my_private_note(
    request: AuthenticatedRequest, relationship_id: int, session_id: int
) -> dict[str, Any]:
    """The caller's own private note on the session; nobody can read another's."""
    body = services.private_note_of(
        actor=request.user,
        relationship=_relationship(request, relationship_id),
        session_id=session_id,
    )
    return {"session_id": session_id, "body": body}


@router.put("/{relationship_id}/sessions/{session_id}/private-note", response=PrivateNoteOut)
def set_my_private_note(
    request: AuthenticatedRequest, relationship_id: int, session_id: int, payload: PrivateNoteIn
) -> dict[str, Any]:
    note = services.private_note_set(
        actor=request.user,
        relationship=_relationship(request, relationship_id),
        session_id=session_id,
        body=payload.body,
    )
    return {"session_id": session_id, "body": note.body if note else ""}


@router.post("/{relationship_id}/resources", response={201: ResourceOut})
def add_resource(
    request: AuthenticatedRequest, relationship_id: int, payload: ResourceIn
) -> Status[Any]:
    resource = services.resource_add(
        actor=request.user,
        relationship=_relationship(request, relationship_id),
        title=payload.title,
        url=payload.url,
    )
    return Status(
        201,
        {
            "id": resource.pk,
            "title": resource.title,
            "url": resource.url,
            "added_by_id": resource.added_by_id,
        },
    )


@router.delete("/{relationship_id}/resources/{resource_id}", response={204: None})
def remove_resource(
    request: AuthenticatedRequest, relationship_id: int, resource_id: int
) -> Status[None]:
    services.resource_remove(
        actor=request.user,
        relationship=_relationship(request, relationship_id),
        resource_id=resource_id,
    )
    return Status(204, None)


@router.post("/{relationship_id}/check-ins/{check_in_id}", response=CheckInOut)
def answer_check_in(
    request: AuthenticatedRequest, relationship_id: int, check_in_id: int, payload: CheckInIn
) -> dict[str, Any]:
    check_in = services.check_in_answer(
        actor=request.user,
        relationship=_relationship(request, relationship_id),
        check_in_id=check_in_id,
        score=payload.score,
    )
    return {"id": check_in.pk, "due_on": check_in.due_on, "score": check_in.score}


@router.post("/{relationship_id}/complete", response=RelationshipOut)
def complete_relationship(request: AuthenticatedRequest, relationship_id: int) -> dict[str, Any]:
    """The first member's call asks the others (`completion_requested_by_id`); another
    member's call completes it. Calling again while one's own request is pending is 409."""
    services.relationship_finish(
        actor=request.user, relationship=_relationship(request, relationship_id)
    )
    return _space(request, relationship_id)


@router.post("/{relationship_id}/complete/withdraw", response=RelationshipOut)
def withdraw_completion_request(
    request: AuthenticatedRequest, relationship_id: int
) -> dict[str, Any]:
    """Take back one's own pending request to complete (409 if there is none of one's own)."""
    services.relationship_completion_withdraw(
        actor=request.user, relationship=_relationship(request, relationship_id)
    )
    return _space(request, relationship_id)


@router.post("/{relationship_id}/end-early", response=RelationshipOut)
def end_relationship_early(
    request: AuthenticatedRequest, relationship_id: int, payload: EndEarlyIn
) -> dict[str, Any]:
    services.relationship_finish(
        actor=request.user,
        relationship=_relationship(request, relationship_id),
        reason=payload.reason,
    )
    return _space(request, relationship_id)
