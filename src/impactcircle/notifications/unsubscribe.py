"""Signed unsubscribe tokens: one person, one category, usable without signing in.

The token is signed with SECRET_KEY and a salt used for nothing else, so it cannot be forged or
reused as another kind of token; it carries no expiry (an old email's link keeps working).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.urls import reverse

_SALT = "impactcircle.notifications.unsubscribe"


@dataclass(frozen=True)
class UnsubscribeRequest:
    user_id: int
    category: str


def unsubscribe_token(*, user_id: int, category: str) -> str:
    return signing.dumps({"u": user_id, "c": category}, salt=_SALT, compress=False)


def read_unsubscribe_token(token: str) -> UnsubscribeRequest | None:
    """What the token asks for, or None when it was not made by us (tampered, truncated)."""
    try:
        payload = signing.loads(token, salt=_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(payload, dict):
        return None
    user_id, category = payload.get("u"), payload.get("c")
    if not isinstance(user_id, int) or not isinstance(category, str):
        return None
    return UnsubscribeRequest(user_id=user_id, category=category)


def unsubscribe_url(*, user_id: int, category: str) -> str:
    """The absolute address of the unsubscribe page for this person and category."""
    path = reverse(
        "notification_unsubscribe",
        kwargs={"token": unsubscribe_token(user_id=user_id, category=category)},
    )
    return settings.SITE_URL.rstrip("/") + path
