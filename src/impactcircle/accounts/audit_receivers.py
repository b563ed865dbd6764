"""Sign-in, sign-out, failed sign-ins, password and MFA changes go to the audit log."""

from __future__ import annotations

from typing import Any

from allauth.account.signals import password_changed, password_reset, user_signed_up
from allauth.mfa.signals import authenticator_added, authenticator_removed
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from impactcircle.accounts.models import User
from impactcircle.accounts.services import invitation_mark_accepted
from impactcircle.core.audit import record_audit_event


@receiver(user_logged_in)
def audit_sign_in(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    record_audit_event(action="auth.signed_in", actor=user, target=user, request=request)


@receiver(user_logged_out)
def audit_sign_out(
    sender: Any, request: HttpRequest | None, user: User | None, **kwargs: Any
) -> None:
    if user is not None:
        record_audit_event(action="auth.signed_out", actor=user, target=user, request=request)


@receiver(user_login_failed)
def audit_failed_sign_in(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    # Django has already replaced the password in `credentials`; only the address is kept.
    attempted = str(credentials.get("email") or credentials.get("username") or "")[:254]
    record_audit_event(action="auth.sign_in_failed", actor_label=attempted, request=request)


@receiver(user_signed_up)
def audit_sign_up(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    invitation_mark_accepted(email=user.email)
    record_audit_event(action="auth.signed_up", actor=user, target=user, request=request)


@receiver(password_changed)
def audit_password_change(
    sender: Any, request: HttpRequest | None, user: User, **kwargs: Any
) -> None:
    record_audit_event(action="auth.password_changed", actor=user, target=user, request=request)


@receiver(password_reset)
def audit_password_reset(
    sender: Any, request: HttpRequest | None, user: User, **kwargs: Any
) -> None:
    record_audit_event(action="auth.password_reset", actor=user, target=user, request=request)


@receiver(authenticator_added)
def audit_mfa_added(
    sender: Any, request: HttpRequest | None, user: User, authenticator: Any, **kwargs: Any
) -> None:
    record_audit_event(
        action="mfa.authenticator_added", actor=user, target=user, request=request,
        details={"type": str(authenticator.type)},
    )  # fmt: skip


@receiver(authenticator_removed)
def audit_mfa_removed(
    sender: Any, request: HttpRequest | None, user: User, authenticator: Any, **kwargs: Any
) -> None:
    record_audit_event(
        action="mfa.authenticator_removed", actor=user, target=user, request=request,
        details={"type": str(authenticator.type)},
    )  # fmt: skip
