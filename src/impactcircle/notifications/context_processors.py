"""The unread count for the header link: one query when a page shows it, none for visitors."""

from __future__ import annotations

from functools import cache
from typing import cast

from django.http import HttpRequest

from impactcircle.accounts.models import User
from impactcircle.notifications.selectors import unread_count_for


def unread_notifications(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    person = cast(User, user)

    @cache
    def count() -> int:  # templates call it; counted once, and only if a template asks
        return unread_count_for(person)

    return {"unread_notification_count": count}
