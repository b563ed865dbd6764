"""Writing to the append-only audit log."""

from __future__ import annotations

from collections.abc import Mapping

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.http import HttpRequest

from impactcircle.core.models import AuditEvent

# Details are for context (a role name, a token's name); never for secrets or note bodies.
_FORBIDDEN_DETAIL_WORDS = ("password", "secret", "token_value", "code", "body", "note", "key")
_SCALARS = (str, int, float, bool, type(None))


def client_address(request: HttpRequest) -> str | None:
    """The client's address, honouring the trusted proxy count shared with the rate limits."""
    from allauth.account.adapter import get_adapter
    from django.core.exceptions import PermissionDenied

    try:
        address = get_adapter(request).get_client_ip(request)
    except PermissionDenied:  # allauth's answer when a request carries no address at all
        return None
    return address or None


def record_audit_event(
    *,
    action: str,
    actor: AbstractBaseUser | AnonymousUser | None = None,
    target: models.Model | None = None,
    request: HttpRequest | None = None,
    actor_label: str = "",
    details: Mapping[str, str | int | float | bool | None] | None = None,
) -> AuditEvent:
    """Append one entry. `details` may hold only scalar context, never secrets."""
    clean_details = dict(details or {})
    for key, value in clean_details.items():
        lowered = key.lower()
        if any(word in lowered for word in _FORBIDDEN_DETAIL_WORDS):
            raise ValueError(f"Audit details must not hold {key!r}: it may carry a secret.")
        if not isinstance(value, _SCALARS):
            raise ValueError(f"Audit detail {key!r} must be a plain value, not {type(value)!r}.")
    known_actor = actor if isinstance(actor, AbstractBaseUser) else None
    if known_actor is not None and not actor_label:
        actor_label = known_actor.get_username()
    return AuditEvent.objects.create(
        action=action,
        actor_id=known_actor.pk if known_actor is not None else None,
        actor_label=actor_label[:254],
        object_type=target._meta.label_lower if target is not None else "",
        object_id=str(target.pk) if target is not None else "",
        object_label=str(target)[:200] if target is not None else "",
        ip_address=client_address(request) if request is not None else None,
        details=clean_details,
    )
