"""Reads about accounts: who may sign up, whose token this is, which tokens someone holds."""

from __future__ import annotations

import hashlib

from django.db.models import QuerySet
from django.utils import timezone

from impactcircle.accounts.models import AccessToken, Invitation, SignupPolicy, User


def current_signup_policy() -> SignupPolicy:
    policy, _ = SignupPolicy.objects.get_or_create(pk=1)
    return policy


def is_email_allowed_to_sign_up(email: str) -> bool:
    """Open policy: anyone. Restricted: an invited address, or one in a listed domain."""
    normalised = email.strip().lower()
    policy = current_signup_policy()
    if policy.mode == SignupPolicy.Mode.OPEN:
        return True
    domain = normalised.rsplit("@", 1)[-1]
    if domain in policy.domains:
        return True
    return Invitation.objects.filter(email=normalised).exists()


def hash_token_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def usable_token_for_secret(secret: str) -> AccessToken | None:
    """The live token this secret belongs to, with its user; None if unknown, revoked or expired."""
    return (
        AccessToken.objects.select_related("user")
        .filter(
            secret_hash=hash_token_secret(secret),
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
            user__is_active=True,
        )
        .first()
    )


def access_tokens_of(user: User) -> QuerySet[AccessToken]:
    """The tokens this person holds, newest first (revoked ones too, for the record)."""
    return AccessToken.objects.filter(user=user).order_by("-created_at", "-id")
