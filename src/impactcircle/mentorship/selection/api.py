"""Self-selection API, mounted at /api/v1/mentoring/self-selection.

The same rules as the pages: only a self-selection programme's accepted mentees get
recommendations and send requests; a request is seen by its mentee and its mentor only (404 for
anyone else); a twin of a pending request or an accept beyond capacity answers 409.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from ninja import Field, Router, Schema, Status

from impactcircle.accounts.requests import AuthenticatedRequest
from impactcircle.mentorship.models import MentorRequest
from impactcircle.mentorship.selection import services
from impactcircle.mentorship.selection.selectors import (
    Recommendation,
    recommendations_for,
    request_for,
    requests_of,
    require_participant,
    self_selection_programme_for,
)

router = Router(tags=["mentoring self-selection"])


class RecommendationOut(Schema):
    mentor_id: int
    name: str
    score: float
    reasons: list[str]
    rules_kept: list[str]
    room_left: int
    is_bookmarked: bool
    is_dismissed: bool
    pending_request_id: int | None


class RecommendationsOut(Schema):
    programme_id: int
    has_mentor: bool
    recommended: list[RecommendationOut]
    dismissed: list[RecommendationOut]


class ShortlistIn(Schema):
    kind: Literal["bookmark", "dismiss"]


class RequestIn(Schema):
    mentor_id: int
    message: str = Field("", max_length=2000)


class DeclineIn(Schema):
    reason: str = Field(min_length=1, max_length=300)


class RequestOut(Schema):
    id: int
    programme_id: int
    mentee_id: int
    mentee: str
    mentor_id: int
    mentor: str
    message: str
    status: str
    decline_reason: str
    created_at: datetime
    expires_at: datetime
    answered_at: datetime | None


class RequestListOut(Schema):
    sent: list[RequestOut]
    received: list[RequestOut]


class AcceptOut(Schema):
    request: RequestOut
    relationship_id: int


def _recommendation(item: Recommendation) -> dict[str, Any]:
    return {
        "mentor_id": item.mentor.pk,
        "name": item.mentor.display_name,
        "score": item.score,
        "reasons": list(item.reasons),
        "rules_kept": list(item.rules_kept),
        "room_left": item.room_left,
        "is_bookmarked": item.is_bookmarked,
        "is_dismissed": item.is_dismissed,
        "pending_request_id": item.pending_request.pk if item.pending_request else None,
    }


def _request(found: MentorRequest) -> dict[str, Any]:
    return {
        "id": found.pk,
        "programme_id": found.programme_id,
        "mentee_id": found.mentee_id,
        "mentee": found.mentee.display_name,
        "mentor_id": found.mentor_id,
        "mentor": found.mentor.display_name,
        "message": found.message,
        "status": found.status,
        "decline_reason": found.decline_reason,
        "created_at": found.created_at,
        "expires_at": found.expires_at,
        "answered_at": found.answered_at,
    }


@router.get(
    "/programmes/{programme_id}/recommendations",
    response=RecommendationsOut,
    summary="Recommended mentors, ranked by the matching score",
)
def list_recommendations(request: AuthenticatedRequest, programme_id: int) -> dict[str, Any]:
    found = recommendations_for(request.user, programme_id)
    return {
        "programme_id": found.programme.pk,
        "has_mentor": found.has_mentor,
        "recommended": [_recommendation(item) for item in found.shown],
        "dismissed": [_recommendation(item) for item in found.dismissed],
    }


@router.put(
    "/programmes/{programme_id}/shortlist/{mentor_id}",
    response={204: None},
    summary="Bookmark or dismiss a mentor",
)
def mark_mentor(
    request: AuthenticatedRequest, programme_id: int, mentor_id: int, payload: ShortlistIn
) -> Status[None]:
    services.shortlist_mark(
        actor=request.user, programme_id=programme_id, mentor_id=mentor_id, kind=payload.kind
    )
    return Status(204, None)


@router.delete(
    "/programmes/{programme_id}/shortlist/{mentor_id}",
    response={204: None},
    summary="Remove a bookmark, or restore a dismissed mentor",
)
def unmark_mentor(request: AuthenticatedRequest, programme_id: int, mentor_id: int) -> Status[None]:
    services.shortlist_clear(actor=request.user, programme_id=programme_id, mentor_id=mentor_id)
    return Status(204, None)


@router.post(
    "/programmes/{programme_id}/requests",
    response={201: RequestOut},
    summary="Ask a mentor (409 if a request to them is already waiting)",
)
def send_request(
    request: AuthenticatedRequest, programme_id: int, payload: RequestIn
) -> Status[Any]:
    sent = services.request_send(
        actor=request.user,
        programme_id=programme_id,
        mentor_id=payload.mentor_id,
        message=payload.message,
    )
    return Status(201, _request(request_for(request.user, sent.pk)))


@router.get(
    "/programmes/{programme_id}/requests",
    response=RequestListOut,
    summary="My requests in the programme: sent (as mentee) and received (as mentor)",
)
def list_requests(request: AuthenticatedRequest, programme_id: int) -> dict[str, Any]:
    actor = request.user
    programme = self_selection_programme_for(actor, programme_id)
    require_participant(actor, programme)
    mine = requests_of(actor, programme)
    return {
        "sent": [_request(item) for item in mine["sent"]],
        "received": [_request(item) for item in mine["received"]],
    }


@router.get("/requests/{request_id}", response=RequestOut, summary="One of my requests")
def get_request(request: AuthenticatedRequest, request_id: int) -> dict[str, Any]:
    return _request(request_for(request.user, request_id))


@router.post(
    "/requests/{request_id}/accept",
    response=AcceptOut,
    summary="Accept (mentor): starts the relationship; 409 when at capacity",
)
def accept_request(request: AuthenticatedRequest, request_id: int) -> dict[str, Any]:
    relationship = services.request_accept(actor=request.user, request_id=request_id)
    return {
        "request": _request(request_for(request.user, request_id)),
        "relationship_id": relationship.pk,
    }


@router.post("/requests/{request_id}/decline", response=RequestOut, summary="Decline (mentor)")
def decline_request(
    request: AuthenticatedRequest, request_id: int, payload: DeclineIn
) -> dict[str, Any]:
    services.request_decline(actor=request.user, request_id=request_id, reason=payload.reason)
    return _request(request_for(request.user, request_id))


@router.post("/requests/{request_id}/withdraw", response=RequestOut, summary="Withdraw (mentee)")
def withdraw_request(request: AuthenticatedRequest, request_id: int) -> dict[str, Any]:
    services.request_withdraw(actor=request.user, request_id=request_id)
    return _request(request_for(request.user, request_id))
