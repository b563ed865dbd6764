"""API: the signed-in person and their access tokens."""

from __future__ import annotations

from datetime import datetime

from django.db.models import QuerySet
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from impactcircle.accounts.models import AccessToken, User
from impactcircle.accounts.requests import AuthenticatedRequest
from impactcircle.accounts.selectors import access_tokens_of
from impactcircle.accounts.services import access_token_create, access_token_revoke

router = Router(tags=["account"])


class MeOut(Schema):
    id: int
    email: str
    display_name: str
    is_staff: bool


class AccessTokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: datetime
    expires_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class AccessTokenIn(Schema):
    name: str = Field(min_length=1, max_length=100)
    expires_in_days: int = Field(90, ge=1, le=365)


class IssuedTokenOut(Schema):
    token: AccessTokenOut
    secret: str = Field(description="Shown once. Store it safely; it cannot be read again.")


@router.get("/me", response=MeOut)
def me(request: AuthenticatedRequest) -> User:
    return request.user


@router.get("/tokens", response=list[AccessTokenOut])
@paginate
def list_tokens(request: AuthenticatedRequest) -> QuerySet[AccessToken]:
    return access_tokens_of(request.user)


@router.post("/tokens", response={201: IssuedTokenOut})
def create_token(
    request: AuthenticatedRequest, payload: AccessTokenIn
) -> Status[dict[str, object]]:
    authenticated_by = getattr(request, "auth", None)
    issued = access_token_create(
        user=request.user,
        name=payload.name,
        expires_in_days=payload.expires_in_days,
        parent=authenticated_by if isinstance(authenticated_by, AccessToken) else None,
        request=request,
    )
    return Status(201, {"token": issued.token, "secret": issued.secret})


@router.delete("/tokens/{token_id}", response=AccessTokenOut)
def revoke_token(request: AuthenticatedRequest, token_id: int) -> AccessToken:
    return access_token_revoke(user=request.user, token_id=token_id, request=request)
