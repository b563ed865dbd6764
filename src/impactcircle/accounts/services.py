"""Every write about accounts: access tokens and invitations."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from impactcircle.accounts.models import AccessToken, Invitation, User
from impactcircle.accounts.selectors import hash_token_secret
from impactcircle.core.audit import record_audit_event
from impactcircle.core.errors import Conflict, InvalidInput, NotFound

TOKEN_PREFIX = "icp_"  # noqa: S105  (a public marker, not a secret)
_LAST_USED_RESOLUTION = timedelta(minutes=1)


@dataclass(frozen=True)
class IssuedToken:
    """A new token and its secret. The secret is shown once and never stored."""

    token: AccessToken
    secret: str


def access_token_create(
    *,
    user: User,
    name: str,
    expires_in_days: int,
    parent: AccessToken | None = None,
    request: HttpRequest | None = None,
) -> IssuedToken:
    """A new token for `user`. Created while authenticated by another token (`parent`), it may
    not outlive it: an expiry after the parent's is refused (422), never silently shortened."""
    name = name.strip()
    problems: dict[str, list[str]] = {}
    if not name:
        problems["name"] = ["Give the token a name, so you know later what it is for."]
    elif len(name) > 100:
        problems["name"] = ["Keep the name under 100 characters."]
    if not 1 <= expires_in_days <= settings.ACCESS_TOKEN_MAX_DAYS:
        problems["expires_in_days"] = [
            f"Choose between 1 and {settings.ACCESS_TOKEN_MAX_DAYS} days."
        ]
    expires_at = timezone.now() + timedelta(days=expires_in_days)
    if parent is not None and not problems and expires_at > parent.expires_at:
        days_left = max((parent.expires_at - timezone.now()).days, 0)
        problems["expires_in_days"] = [
            "A token cannot outlive the token that creates it: choose at most "
            f"{days_left} days, or create it signed in on your account page."
        ]
    if problems:
        raise InvalidInput("The token could not be created.", fields=problems)
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    try:
        with transaction.atomic():
            token = AccessToken.objects.create(
                user=user,
                name=name,
                prefix=secret[: len(TOKEN_PREFIX) + 6],
                secret_hash=hash_token_secret(secret),
                expires_at=expires_at,
            )
            record_audit_event(
                action="token.created",
                actor=user,
                target=token,
                request=request,
                details={
                    "expires_in_days": expires_in_days,
                    "created_with_token": parent.pk if parent is not None else None,
                },
            )
    except IntegrityError as error:
        raise Conflict(
            "You already have a live token with that name.",
            fields={"name": ["You already have a live token with that name."]},
        ) from error
    return IssuedToken(token=token, secret=secret)


@transaction.atomic
def access_token_revoke(
    *, user: User, token_id: int, request: HttpRequest | None = None
) -> AccessToken:
    token = AccessToken.objects.select_for_update().filter(user=user, pk=token_id).first()
    if token is None:
        raise NotFound("No such token.")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at", "updated_at"])
        record_audit_event(action="token.revoked", actor=user, target=token, request=request)
    return token


@transaction.atomic
def access_tokens_revoke_all(
    *, user: User, reason: str, actor: User | None = None, request: HttpRequest | None = None
) -> int:
    """Revoke every live token of `user` (password reset, deactivation); audited once.
    `actor` is who caused it, when known (the person resetting their password)."""
    revoked = AccessToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), updated_at=timezone.now()
    )
    if revoked:
        record_audit_event(
            action="token.revoked_all",
            actor=actor,
            target=user,
            request=request,
            details={"reason": reason, "tokens": revoked},
        )
    return revoked


def access_token_mark_used(token: AccessToken) -> None:
    """Remember when a token was last used, writing at most once a minute per token."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > _LAST_USED_RESOLUTION:
        AccessToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now


def invitation_create(
    *, email: str, invited_by: User, request: HttpRequest | None = None
) -> Invitation:
    normalised = email.strip().lower()
    if "@" not in normalised:
        raise InvalidInput("Enter an email address.", fields={"email": ["Enter an email address."]})
    with transaction.atomic():
        invitation, created = Invitation.objects.get_or_create(
            email=normalised, defaults={"invited_by": invited_by}
        )
        if created:
            record_audit_event(
                action="invitation.created", actor=invited_by, target=invitation, request=request
            )
    return invitation


def invitation_mark_accepted(*, email: str) -> None:
    Invitation.objects.filter(email=email.strip().lower(), accepted_at__isnull=True).update(
        accepted_at=timezone.now()
    )


@transaction.atomic
def administrator_create(*, email: str, password: str) -> User:
    """An active superuser whose email address is verified, so they can sign in at once."""
    from allauth.account.models import EmailAddress

    normalised = email.strip().lower()
    if User.objects.filter(email=normalised).exists():
        raise Conflict(f"{normalised} already has an account.", fields={"email": ["Taken."]})
    user = User.objects.create_superuser(email=normalised, password=password)
    EmailAddress.objects.create(user=user, email=normalised, verified=True, primary=True)
    record_audit_event(action="admin.created", target=user, actor_label="command line")
    return user
