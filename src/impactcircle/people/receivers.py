"""Every account gets a profile the moment it is created."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from impactcircle.accounts.models import User
from impactcircle.core.search import index_later
from impactcircle.people.models import Profile
from impactcircle.people.selectors import PROFILE_TYPE


@receiver(post_save, sender=User)
def create_profile_for_new_account(
    sender: Any, instance: User, created: bool, **kwargs: Any
) -> None:
    if created and not kwargs.get("raw"):
        profile, _ = Profile.objects.get_or_create(user=instance)
        index_later(PROFILE_TYPE, [profile.pk])
