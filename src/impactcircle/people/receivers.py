"""Every account gets a profile the moment it is created; a renamed account is searched anew."""

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
    if kwargs.get("raw"):
        return
    if created:
        profile, _ = Profile.objects.get_or_create(user=instance)
        index_later(PROFILE_TYPE, [profile.pk])
        return
    changed = kwargs.get("update_fields")
    if changed is None or {"first_name", "last_name"} & set(changed):
        # The name is every profile document's title (the admin, an import, SCIM rename people).
        profile_ids = list(Profile.objects.filter(user=instance).values_list("pk", flat=True))
        if profile_ids:
            index_later(PROFILE_TYPE, profile_ids)
