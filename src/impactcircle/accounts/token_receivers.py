"""Tokens stop working when their owner resets a forgotten password or the account is deactivated.

Both revoke every live token (audited as `token.revoked_all`), so re-activating an account or
knowing the old password never brings a token back.
"""

from __future__ import annotations

from typing import Any

from allauth.account.signals import password_reset
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver
from django.http import HttpRequest

from impactcircle.accounts.models import User
from impactcircle.accounts.services import access_tokens_revoke_all

_WAS_ACTIVE = "_impactcircle_was_active"


@receiver(password_reset)
def revoke_tokens_after_password_reset(
    sender: Any, request: HttpRequest | None, user: User, **kwargs: Any
) -> None:
    access_tokens_revoke_all(user=user, reason="password_reset", actor=user, request=request)


@receiver(pre_save, sender=User)
def remember_whether_the_account_was_active(sender: Any, instance: User, **kwargs: Any) -> None:
    update_fields = kwargs.get("update_fields")
    if instance.pk is None or kwargs.get("raw"):
        return
    if update_fields is not None and "is_active" not in update_fields:
        return  # e.g. the last sign-in time: no query
    was_active = User.objects.filter(pk=instance.pk).values_list("is_active", flat=True).first()
    setattr(instance, _WAS_ACTIVE, was_active)


@receiver(post_save, sender=User)
def revoke_tokens_when_the_account_is_deactivated(
    sender: Any, instance: User, created: bool, **kwargs: Any
) -> None:
    if created or kwargs.get("raw"):
        return
    if getattr(instance, _WAS_ACTIVE, None) and not instance.is_active:
        access_tokens_revoke_all(user=instance, reason="account_deactivated")
