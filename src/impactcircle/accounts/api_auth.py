"""`Authorization: Bearer <token>` for the API, with personal access tokens."""

from __future__ import annotations

from django.http import HttpRequest
from ninja.security import HttpBearer

from impactcircle.accounts.models import AccessToken
from impactcircle.accounts.selectors import usable_token_for_secret
from impactcircle.accounts.services import access_token_mark_used


class AccessTokenAuth(HttpBearer):
    openapi_description = "A personal access token from your account page."

    def authenticate(self, request: HttpRequest, token: str) -> AccessToken | None:
        """The token becomes `request.auth` (so a token it creates cannot outlive it); its
        owner becomes `request.user`."""
        access_token = usable_token_for_secret(token)
        if access_token is None:
            return None
        access_token_mark_used(access_token)
        request.user = access_token.user
        return access_token
